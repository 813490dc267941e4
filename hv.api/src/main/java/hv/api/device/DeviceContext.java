package hv.api.device;

import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;
import hv.api.platform.VcpuAssist;

import java.util.Optional;

/**
 * What HV gives a device when creating it: its placement, its interrupt, guest memory for DMA,
 * the clock, the console and machine controls. Nothing else of HV is reachable from a plugin.
 */
public interface DeviceContext {

    /** A unique instance name, e.g. {@code virtio-blk0}; used in logs and snapshot sections. */
    String instanceName();

    /** The base of the MMIO window HV assigned (from the provider's {@link Placement}). */
    long mmioBase();

    long mmioSize();

    /** The PLIC source number HV assigned. */
    int irq();

    InterruptLine interruptLine();

    GuestMemory guestMemory();

    GuestClock clock();

    HostConsole console();

    MachineControl machine();

    /** The name of the VM, stable across runs; devices derive e.g. a MAC address from it. */
    String vmName();

    /**
     * A service the host offers by kind and name, found across all plugin layers: e.g. a NIC
     * frontend gets its backend with {@code service(NetworkBackendProvider.class, "stream")}.
     * Typed by the caller so that this package depends on no other SPI package (no package cycle).
     *
     * @throws DeviceConfigException when no service of that kind and name is installed
     */
    <T> T service(Class<T> kind, String name) throws DeviceConfigException;

    /**
     * Running non-blocking device work on the vCPU threads (see {@link VcpuAssist}); empty where
     * the host has no vCPUs to lend (tools that only describe devices, tests).
     */
    default Optional<VcpuAssist> vcpuAssist() {
        return Optional.empty();
    }

    /** A logger for the device; goes to stderr, never to the guest console. */
    System.Logger logger();
}
