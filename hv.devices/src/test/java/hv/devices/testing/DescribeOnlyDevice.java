package hv.devices.testing;

import hv.api.device.Device;
import hv.api.device.DeviceTreeNode;
import hv.api.device.MmioHandler;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.function.Consumer;

/** A device that only contributes a device-tree node, as a plugin would. */
public final class DescribeOnlyDevice implements Device {
    private final Consumer<DeviceTreeNode> describe;

    public DescribeOnlyDevice(Consumer<DeviceTreeNode> describe) {
        this.describe = describe;
    }

    @Override
    public MmioHandler mmio() {
        return new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
            }
        };
    }

    @Override
    public void describe(DeviceTreeNode soc) {
        describe.accept(soc);
    }

    @Override
    public void reset() {
    }

    @Override
    public void saveState(StateWriter out) {
    }

    @Override
    public void restoreState(StateReader in, int version) {
    }
}
