package hv.tools;

import hv.api.config.VmConfig;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.VirtualMachine;
import hv.hosts.VmConfigException;
import hv.hosts.VmOutcome;
import hv.hosts.Machine;
import hv.hosts.control.ControlServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.atomic.AtomicReference;


/** {@code hv run}: boots a VM with the console on stdio. */
@Command(name = "run", description = "Boot a virtual machine; the guest console is on stdin/stdout (Ctrl-A x quits).")
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    VmOptions options;

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT", description = "Serve the GDB remote protocol on this TCP address (host default 127.0.0.1; port 0: any free port, printed).")
    String gdb;

    @Option(names = "--gdb-wait", description = "With --gdb: the harts do not run until the debugger continues them (QEMU's -S).")
    boolean gdbWait;

    @Mixin
    ResumeOptions resume;

    @Override
    public Integer call() {
        java.net.InetSocketAddress gdbAddress = gdb == null ? null : GdbAddress.parse(gdb);
        if (gdbWait && gdbAddress == null) {
            throw new UserError("--gdb-wait needs --gdb [HOST:]PORT", ExitCodes.USAGE);
        }
        ResumeOptions.Source from = resume.open(options);
        VmConfig config = from != null ? from.config() : options.toConfig(true);
        PluginCatalog catalog = PluginCatalog.load(PluginFolders.withDefault(config.pluginDirs()));
        for (String error : catalog.errors()) {
            System.err.println("hv: plugin: " + error);
        }
        AtomicReference<Machine> current = new AtomicReference<>();
        try (TerminalMode terminal = TerminalMode.rawIfTerminal(); ControlServer control = resume.startControl(current)) {
            while (true) {
                VmOutcome outcome;
                try {
                    VirtualMachine vm;
                    try {
                        vm = from != null ? VirtualMachine.createForResume(config, catalog, new StdioConsole(), from.point())
                                : VirtualMachine.create(config, catalog, new StdioConsole());
                    } catch (VmConfigException e) {
                        if (from != null) {
                            from.reject().run();
                        }
                        throw e;
                    }
                    if (gdbAddress != null) {
                        int port = vm.attachDebugger(gdbAddress, gdbWait);
                        System.err.println("hv: gdb: listening on " + gdbAddress.getHostString() + ":" + port
                                + (gdbWait ? " (harts wait for the debugger)" : ""));
                    }
                    current.set(vm.machine());
                    outcome = from != null ? vm.run(from.timedHook()) : vm.run();
                    current.set(null);
                    from = null; // a reboot after a restore boots the saved kernel afresh
                    if (config.stats()) {
                        System.err.print(vm.statsReport());
                    }
                } catch (VmConfigException e) {
                    throw new UserError(e.getMessage());
                }
                switch (outcome.kind()) {
                    case MIGRATED:
                        System.err.println("hv: " + outcome.message());
                        return ExitCodes.OK;
                    case POWER_OFF:
                        return outcome.exitCode();
                    case QUIT:
                        System.err.println("hv: quit");
                        return ExitCodes.OK;
                    case REBOOT:
                        if (config.noReboot()) {
                            System.err.println("hv: guest requested a reboot; exiting (--no-reboot)");
                            return ExitCodes.GUEST_REBOOT;
                        }
                        System.err.println("hv: guest requested a reboot; restarting");
                        continue;
                    case ERROR:
                    default:
                        System.err.println("hv: " + outcome.message());
                        return ExitCodes.INTERNAL_ERROR;
                }
            }
        }
    }
}
