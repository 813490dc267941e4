package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.GuestMemory;
import hv.api.device.HostConsole;
import hv.api.device.InterruptLine;
import hv.api.net.NetworkBackendProvider;
import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;
import hv.api.platform.VcpuAssist;
import hv.devices.testing.TestDeviceContext;

import java.util.Optional;

/** hv.devices' test context, plus network backends by type and, if given, vCPU threads to lend. */
final class NetTestContext implements DeviceContext {
    final TestDeviceContext base;
    final FakeBackend.Provider fake = new FakeBackend.Provider();
    private final String vmName;
    private final VcpuAssist assist;

    NetTestContext(String instance, String vmName) {
        this(instance, vmName, null);
    }

    /** @param assist the "vCPUs" the NIC may run its work on, or null (a host with none: tools, older tests) */
    NetTestContext(String instance, String vmName, VcpuAssist assist) {
        this.base = TestDeviceContext.virtioSlot0(instance);
        this.vmName = vmName;
        this.assist = assist;
    }

    @Override
    public Optional<VcpuAssist> vcpuAssist() {
        return Optional.ofNullable(assist);
    }

    @Override
    public String instanceName() {
        return base.instanceName();
    }

    @Override
    public long mmioBase() {
        return base.mmioBase();
    }

    @Override
    public long mmioSize() {
        return base.mmioSize();
    }

    @Override
    public int irq() {
        return base.irq();
    }

    @Override
    public InterruptLine interruptLine() {
        return base.interruptLine();
    }

    @Override
    public GuestMemory guestMemory() {
        return base.guestMemory();
    }

    @Override
    public GuestClock clock() {
        return base.clock();
    }

    @Override
    public HostConsole console() {
        return base.console();
    }

    @Override
    public MachineControl machine() {
        return base.machine();
    }

    @Override
    public String vmName() {
        return vmName;
    }

    @Override
    public <T> T service(Class<T> kind, String name) throws DeviceConfigException {
        if (kind == NetworkBackendProvider.class && name.equals("fake")) {
            return kind.cast(fake);
        }
        throw new DeviceConfigException("no network backend '" + name + "'");
    }

    @Override
    public System.Logger logger() {
        return base.logger();
    }
}
