package hv.devices.virtio;

import hv.api.device.Device;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceTreeNode;
import hv.api.device.MmioHandler;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.concurrent.TimeUnit;

/**
 * Turns a {@link VirtioDevice} into an hv.api {@link Device} on a virtio-mmio slot: the
 * transport as its register window, a {@code virtio,mmio} device-tree node (as QEMU's, see
 * Linux Documentation/devicetree/bindings/virtio/mmio.yaml), lifecycle and state delegated.
 * A provider typically returns {@code new VirtioMmioDevice(context, new MyDevice(...))}.
 */
public final class VirtioMmioDevice implements Device {

    private final DeviceContext context;
    private final VirtioDevice device;
    private final VirtioMmioTransport transport;

    public VirtioMmioDevice(DeviceContext context, VirtioDevice device) {
        this.context = context;
        this.device = device;
        this.transport = new VirtioMmioTransport(context.instanceName(), device, context.guestMemory(),
                context.interruptLine(), context.logger());
    }

    public VirtioMmioTransport transport() {
        return transport;
    }

    @Override
    public MmioHandler mmio() {
        return transport;
    }

    @Override
    public void describe(DeviceTreeNode soc) {
        soc.child("virtio_mmio@" + Long.toHexString(context.mmioBase()))
                .property("compatible", "virtio,mmio")
                .reg(context.mmioBase(), context.mmioSize())
                .plicInterrupt(context.irq());
    }

    @Override
    public void start() {
        device.start();
    }

    @Override
    public void reset() {
        if (!transport.resetAndWait(5, TimeUnit.SECONDS)) {
            context.logger().log(System.Logger.Level.WARNING, context.instanceName() + ": device did not finish its reset in 5 s");
        }
    }

    @Override
    public void pause() {
        device.pause();
    }

    @Override
    public void resume() {
        device.resume();
    }

    @Override
    public int stateVersion() {
        return 1;
    }

    @Override
    public void saveState(StateWriter out) {
        transport.saveState(out);
    }

    @Override
    public void restoreState(StateReader in, int version) throws StateException {
        transport.restoreState(in, version);
    }

    @Override
    public void close() {
        try {
            device.close();
        } catch (RuntimeException e) {
            context.logger().log(System.Logger.Level.WARNING, context.instanceName() + ": close failed: " + e);
        }
    }
}
