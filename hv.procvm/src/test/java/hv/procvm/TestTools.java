package hv.procvm;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the process-VM tests need from the host: the repository root, guest test programs
 * cross-compiled at test time with Debian's riscv64-linux-gnu-gcc (static), the riscv64 sysroot
 * (fetched by scripts/fetch-sysroot.sh when missing), and running a program under HV in-process
 * or under qemu-riscv64.
 */
final class TestTools {
    static final String CC = "riscv64-linux-gnu-gcc";
    static final long TEST_MEMORY = 512L << 20;

    private TestTools() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        if (p == null) {
            fail("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    private static boolean sysrootChecked;

    /**
     * The riscv64 sysroot. scripts/fetch-sysroot.sh runs once per test JVM: it returns at once
     * when the sysroot is up to date, and otherwise builds it from Debian's archive.
     */
    static synchronized Path sysroot() {
        Path sysroot = root().resolve(".cache/sysroot");
        if (!sysrootChecked) {
            Result r = host(List.of("env", "HV_QUIET=1", root().resolve("scripts/fetch-sysroot.sh").toString()), 900);
            if (r.status() != 0 || !Files.exists(sysroot.resolve("usr/bin/busybox"))) {
                fail("scripts/fetch-sysroot.sh failed (" + r.status() + "): " + r.err());
            }
            sysrootChecked = true;
        }
        return sysroot;
    }

    /** Compiles hv.procvm/src/test/c/NAME.c into a static riscv64 executable (cached by mtime). */
    static synchronized Path compile(String name, String... flags) {
        Path src = root().resolve("hv.procvm/src/test/c/" + name + ".c");
        String suffix = flags.length == 0 ? "" : "-" + String.join("", flags).replaceAll("[^a-z0-9]", "");
        Path out = root().resolve("hv.procvm/target/guest-bin/" + name + suffix);
        try {
            Files.createDirectories(out.getParent());
            if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) > 0
                    && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src.resolveSibling("check.h"))) > 0) {
                return out;
            }
        } catch (IOException e) {
            fail(e.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(CC, "-O2", "-Wall", "-Wno-array-bounds"));
        cmd.addAll(flags.length == 0 ? List.of("-static") : List.of(flags));
        cmd.addAll(List.of("-o", out.toString(), src.toString()));
        if (!List.of(flags).contains("-nostdlib")) {
            cmd.addAll(List.of("-lpthread", "-lm"));
        }
        Result r;
        try {
            r = host(cmd, 120);
        } catch (AssertionError e) {
            throw new AssertionError(CC + " is needed to build the process-VM test programs: install "
                    + "gcc-riscv64-linux-gnu (scripts/setup-host.sh). " + e.getMessage());
        }
        if (r.status() != 0) {
            fail(CC + " failed on " + src + ":\n" + r.err());
        }
        return out;
    }

    /** A finished program: exit status and its standard streams. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a host command (with a timeout) and captures its output. */
    static Result host(List<String> cmd, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("hv-host", ".out");
            Path err = Files.createTempFile("hv-host", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("timed out: " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a program under HV's process VM in this JVM, stdin from a file (or empty). */
    static Result hv(Path sysroot, String cwd, Map<String, String> env, Path stdin, String program, String... args) {
        try {
            Path out = Files.createTempFile("hv-exec", ".out");
            Path err = Files.createTempFile("hv-exec", ".err");
            try {
                ProcessVm.Options o = new ProcessVm.Options(sysroot, env, cwd, false, TEST_MEMORY, false,
                        new ProcessVm.Stdio(stdin, out, err));
                int status = ProcessVm.run(o, program, List.of(args), new java.io.PrintStream(
                        Files.newOutputStream(err, java.nio.file.StandardOpenOption.APPEND), true));
                return new Result(status, Files.readString(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (ExecException e) {
            return new Result(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Result hv(String program, String... args) {
        return hv(null, null, Map.of(), null, program, args);
    }
}
