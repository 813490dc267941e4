package hv.tools;

import hv.procvm.ExecException;
import hv.procvm.ProcessVm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hv exec}: runs a riscv64 Linux program with system-call emulation (the process VM). */
@Command(name = "exec", modelTransformer = ExecCommand.OptionsBeforeProgram.class,
        description = {"Run a riscv64 Linux program on this host (like qemu-user).",
                "Options must come before PROGRAM; everything after it goes to the program."},
        footer = {"",
                "Paths: without --sysroot the program sees the host file system as is. With --sysroot the directory is"
                        + " the program's root (chroot-like): absolute paths and links resolve inside it and no path can"
                        + " leave it. PROGRAM is looked up in the sysroot first, then on the host.",
                "",
                "Exit status: the program's, or 128+N if signal N killed it; 3 if PROGRAM cannot be run."})
final class ExecCommand implements Callable<Integer> {

    /** PROGRAM's own options must not be parsed as ours: stop option parsing at the first positional. */
    static final class OptionsBeforeProgram implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }

    @Option(names = "--sysroot", paramLabel = "DIR", description = "Root directory for the program (e.g. .cache/sysroot).")
    Path sysroot;

    @Option(names = "--env", paramLabel = "K=V", description = "Set an environment variable (repeatable); HV's environment is inherited.")
    List<String> env = new ArrayList<>();

    @Option(names = "--cwd", paramLabel = "DIR", description = "Working directory (a path inside the sysroot when one is given).")
    String cwd;

    @Option(names = "--stats", description = "Print system-call and CPU counters on stderr at exit.")
    boolean stats;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Guest RAM shared by all processes (default 2G; K/M/G suffixes).")
    String memory = "2G";

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The riscv64 executable (or a name searched in PATH).")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the program.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--env wants K=V, got '" + e + "'", ExitCodes.USAGE);
            }
            vars.put(e.substring(0, eq), e.substring(eq + 1));
        }
        try {
            return ProcessVm.run(new ProcessVm.Options(sysroot, vars, cwd, stats, parseSize(memory)), program, args, System.err);
        } catch (ExecException e) {
            throw new UserError(e.getMessage(), ExitCodes.BAD_INPUT);
        }
    }

    static long parseSize(String s) {
        String v = s.trim().toUpperCase();
        long unit = 1;
        if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Long.parseLong(v) * unit;
        } catch (NumberFormatException e) {
            throw new UserError("--memory: not a size: '" + s + "'", ExitCodes.USAGE);
        }
    }
}
