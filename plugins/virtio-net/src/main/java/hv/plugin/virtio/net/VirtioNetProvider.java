package hv.plugin.virtio.net;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;
import hv.api.net.NetworkBackend;
import hv.api.net.NetworkBackendProvider;
import hv.devices.virtio.VirtioMmioDevice;

import java.util.List;

/**
 * {@code --device virtio-net,net=TYPE[,mac=MAC][,queue-size=N][,rx-queue=N],BACKEND-OPTIONS}:
 * a virtio-net NIC on the next virtio-mmio slot, cabled to a backend of type TYPE, e.g.
 * <pre>
 *   --device virtio-net,net=stream,connect=127.0.0.1:5555,mac=52:54:00:12:34:56
 *   --device virtio-net,net=stream,listen=127.0.0.1:5555
 *   --device virtio-net,net=dgram,local=127.0.0.1:6001,remote=127.0.0.1:6002
 *   --device virtio-net,net=switch,connect=127.0.0.1:7890
 * </pre>
 * Several NICs per VM: repeat the option; each gets its own slot, instance name and MAC.
 */
public final class VirtioNetProvider implements DeviceProvider {

    @Override
    public String type() {
        return "virtio-net";
    }

    @Override
    public String description() {
        return "virtio-net NIC (MAC, link status) on a network backend: net=stream|dgram|switch,...";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Placement placement() {
        return Placement.virtioSlot();
    }

    @Override
    public List<OptionSpec> options() {
        return NicOptions.SPECS;
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        NicOptions o = NicOptions.parse(options, context.vmName(), context.instanceName());
        NetworkBackendProvider backends = context.service(NetworkBackendProvider.class, o.backendType());
        VirtioNetDevice nic = new VirtioNetDevice(context.instanceName(), o.mac(), o.queueSize(), o.rxQueueFrames(), o.checksumOffload(),
                o.mergeableRxBuffers(), o.workOnVcpus() ? context.vcpuAssist().orElse(null) : null, context.logger());
        VirtioMmioDevice device = new VirtioMmioDevice(context, nic);
        NetworkBackend backend = backends.open(o.backendOptions(), nic.sink());
        nic.connect(backend);
        context.logger().log(System.Logger.Level.INFO, context.instanceName() + ": mac " + o.mac() + " on " + backend);
        return device;
    }
}
