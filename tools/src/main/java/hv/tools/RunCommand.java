package hv.tools;

import hv.api.config.VmConfig;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.VirtualMachine;
import hv.hosts.VmConfigException;
import hv.hosts.VmOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


/** {@code hv run}: boots a VM with the console on stdio. */
@Command(name = "run", description = "Boot a virtual machine; the guest console is on stdin/stdout (Ctrl-A x quits).")
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    VmOptions options;

    @Override
    public Integer call() {
        VmConfig config = options.toConfig(true);
        PluginCatalog catalog = PluginCatalog.load(PluginFolders.withDefault(config.pluginDirs()));
        for (String error : catalog.errors()) {
            System.err.println("hv: plugin: " + error);
        }
        try (TerminalMode terminal = TerminalMode.rawIfTerminal()) {
            while (true) {
                VmOutcome outcome;
                try {
                    VirtualMachine vm = VirtualMachine.create(config, catalog, new StdioConsole());
                    outcome = vm.run();
                    if (config.stats()) {
                        System.err.print(vm.statsReport());
                    }
                } catch (VmConfigException e) {
                    throw new UserError(e.getMessage());
                }
                switch (outcome.kind()) {
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
