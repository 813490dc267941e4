package hv.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hv} launcher: one subcommand per tool. */
@Command(name = "hv", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "HV: a RISC-V (RV64GC) hypervisor and process VM on the JVM.",
        subcommands = {VersionCommand.class, DevicesCommand.class, ExecCommand.class},
        footer = {"", "Exit codes: 0 ok / guest powered off, 1 internal error, 2 usage error,",
                "3 bad configuration or input, 4 guest reboot with --no-reboot, other: the guest's own code."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the launcher and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL_ERROR);
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("hv: " + ex.getMessage());
            c.getErr().println("usage: " + c.getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, c, parse) -> {
            if (ex instanceof UserError ue) {
                c.getErr().println("hv: " + ue.getMessage());
                return ue.exitCode();
            }
            c.getErr().println("hv: internal error: " + ex);
            if (System.getenv("HV_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            return ExitCodes.INTERNAL_ERROR;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
