package hv.hosts;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.GuestMemory;
import hv.api.device.HostConsole;
import hv.api.device.InterruptLine;
import hv.api.net.NetworkBackendProvider;
import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;
import hv.api.platform.VcpuAssist;

import java.util.Map;
import java.util.Optional;

/** What one device instance gets from the machine (see {@link DeviceContext}). */
record HostDeviceContext(String instanceName, long mmioBase, long mmioSize, int irq, InterruptLine interruptLine,
                         GuestMemory guestMemory, GuestClock clock, HostConsole console, MachineControl machine,
                         String vmName, Map<String, NetworkBackendProvider> backends, VcpuAssist assist)
        implements DeviceContext {

    @Override
    public Optional<VcpuAssist> vcpuAssist() {
        return Optional.of(assist);
    }

    @Override
    public <T> T service(Class<T> kind, String name) throws DeviceConfigException {
        if (kind == NetworkBackendProvider.class) {
            NetworkBackendProvider p = backends.get(name);
            if (p == null) {
                throw new DeviceConfigException("no network backend '" + name + "' is installed (known: "
                        + String.join(", ", backends.keySet()) + ")");
            }
            return kind.cast(p);
        }
        throw new DeviceConfigException("no host service of kind " + kind.getSimpleName());
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("hv.device." + instanceName);
    }
}
