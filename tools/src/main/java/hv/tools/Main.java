package hv.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hv} launcher: one subcommand per tool. */
@Command(name = "hv", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        // INHERIT: every subcommand gets --help/--version too, so the usage hint
        // "usage: hv <command> --help" printed on a usage error is itself a working command.
        scope = CommandLine.ScopeType.INHERIT,
        description = "HV: a RISC-V (RV64GC) hypervisor and process VM on the JVM.",
        subcommands = {DemoCommand.class, RunCommand.class, ExecCommand.class, DtbCommand.class, DevicesCommand.class, SwitchCommand.class, CtlCommand.class, VersionCommand.class},
        footer = {"", "Exit codes: 0 ok / guest powered off, 1 internal error, 2 usage error,",
                "3 bad configuration or input, 4 guest reboot with --no-reboot, other: the guest's own code."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the launcher and returns its exit code (tests call this). Nothing escapes as a stack
     * trace: picocli hands Exceptions from a command to the handler below, but lets Errors
     * (AssertionError, ServiceConfigurationError from a broken plugin, OutOfMemoryError...)
     * through, so they are caught here and reported in one line too.
     */
    public static int execute(String... args) {
        try {
            return newCommandLine().execute(args);
        } catch (Throwable t) {
            return internalError(t, new java.io.PrintWriter(System.err, true));
        }
    }

    private static CommandLine newCommandLine() {
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
            return internalError(ex, c.getErr());
        });
        return cli;
    }

    /** One line on stderr (the stack trace only with HV_DEBUG set); exit code 1. */
    private static int internalError(Throwable t, java.io.PrintWriter err) {
        err.println("hv: internal error: " + String.valueOf(t).replaceAll("\\s*\\R\\s*", " "));
        if (System.getenv("HV_DEBUG") != null) {
            t.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
