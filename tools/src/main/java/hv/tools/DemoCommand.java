package hv.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hv demo}: the first command of README. Fetches Debian's riscv64 kernel and busybox
 * initramfs (scripts/fetch-guest.sh, cached) and boots them with the console on stdio.
 */
@Command(name = "demo", description = "Fetch Debian's riscv64 kernel + busybox (cached) and boot it to a shell (Ctrl-A x quits).")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "2", description = "vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "512M", description = "Guest RAM (default: ${DEFAULT-VALUE}).")
    String memory;

    @Override
    public Integer call() throws Exception {
        String home = System.getenv("HV_HOME");
        if (home == null) {
            throw new UserError("demo needs HV_HOME (run it through the ./hv script)");
        }
        Path root = Path.of(home);
        // The host packages first (idempotent, instant when present): fetching needs cpio and xz.
        int status = runScript(root.resolve("scripts/setup-host.sh"));
        if (status == 0) {
            status = runScript(root.resolve("scripts/fetch-guest.sh"));
        }
        Path kernel = root.resolve(".cache/guest/Image");
        Path initrd = root.resolve(".cache/guest/initramfs.cpio.gz");
        if (status != 0 || !Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new UserError("could not set up the host or fetch the Debian guest (exit status " + status + ", see above)");
        }
        return Main.execute("run", "--kernel", kernel.toString(), "--initrd", initrd.toString(),
                "--append", "console=ttyS0", "--cpus", Integer.toString(cpus), "--memory", memory);
    }

    /** Runs a setup script with its output on stderr (stdout belongs to the guest console). */
    private static int runScript(Path script) throws InterruptedException {
        try {
            return new ProcessBuilder(script.toString()).redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("/dev/stderr").toFile()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        } catch (IOException e) {
            throw new UserError("cannot run " + script + ": " + e.getMessage());
        }
    }
}
