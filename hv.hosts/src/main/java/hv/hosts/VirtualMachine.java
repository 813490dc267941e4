package hv.hosts;

import hv.api.config.VmConfig;
import hv.api.device.HostConsole;
import hv.api.net.NetworkBackendProvider;
import hv.devices.plugins.PluginCatalog;


import java.util.Map;

/**
 * A virtual machine: built from a {@link VmConfig} and the device plugins, run until the guest
 * powers off, reboots, the user quits or HV fails. The entry point for the launcher.
 */
public final class VirtualMachine {
    private final Machine machine;

    private VirtualMachine(Machine machine) {
        this.machine = machine;
    }

    /**
     * Builds the machine and loads the boot images; nothing runs yet.
     *
     * @throws VmConfigException with a one-line message when anything in the configuration is wrong
     */
    public static VirtualMachine create(VmConfig config, PluginCatalog catalog, HostConsole console) throws VmConfigException {
        return new VirtualMachine(Machine.build(config, catalog, console, backends(catalog)));
    }

    /**
     * Builds the same machine as a snapshot or migration stream describes, without boot images;
     * its state is loaded by the start hook given to {@link #run(Machine.StartHook)}.
     */
    public static VirtualMachine createForResume(VmConfig config, PluginCatalog catalog, HostConsole console,
                                                 ResumePoint resume) throws VmConfigException {
        return new VirtualMachine(Machine.buildForResume(config, catalog, console, backends(catalog), resume));
    }

    /** The machine, for snapshots, migration and the control API. */
    public Machine machine() {
        return machine;
    }

    /** The device tree a VM with this configuration gets (for {@code hv dtb}). */
    public static byte[] deviceTree(VmConfig config, PluginCatalog catalog) throws VmConfigException {
        return Machine.deviceTreeOnly(config, catalog, HostConsole.silent(), backends(catalog));
    }

    private static Map<String, NetworkBackendProvider> backends(PluginCatalog catalog) {
        return catalog.networkBackends();
    }

    /** Statistics of the run so far (for {@code --stats}); the launcher prints them. */
    public String statsReport() {
        return machine.statsReport();
    }

    /**
     * Serves gdb on {@code address} while the VM runs (port 0: any free one), harts held until gdb
     * continues them if {@code waitForDebugger}; returns the port. Call before {@link #run}.
     *
     * @throws VmConfigException if the address cannot be bound
     */
    public int attachDebugger(java.net.InetSocketAddress address, boolean waitForDebugger) throws VmConfigException {
        try {
            return machine.attachDebugger(address, waitForDebugger);
        } catch (java.io.IOException e) {
            throw new VmConfigException("--gdb " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage());
        }
    }

    /** Runs until the VM ends; releases every host resource before returning. */
    public VmOutcome run() {
        return machine.run();
    }

    /** Runs with a start hook (a resumed VM loads its state there); a failing hook ends the run before any vCPU ran. */
    public VmOutcome run(Machine.StartHook hook) throws VmConfigException {
        return machine.run(hook);
    }
}
