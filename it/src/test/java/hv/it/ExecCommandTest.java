package hv.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./hv exec}, the process VM's command line (issue 8): standard streams and exit status
 * pass through, options after PROGRAM belong to the program, --env/--cwd/--sysroot work, a fatal
 * signal gives 128 + its number, and a program that is not a riscv64 executable is refused with
 * one line and exit status 3.
 */
class ExecCommandTest {
    private static String sysroot;

    @BeforeAll
    static void fetchSysroot() throws IOException, InterruptedException {
        Path root = BuildImage.root();
        Process p = new ProcessBuilder("env", "HV_QUIET=1", root.resolve("scripts/fetch-sysroot.sh").toString())
                .inheritIO().start();
        assertTrue(p.waitFor(900, TimeUnit.SECONDS) && p.exitValue() == 0, "scripts/fetch-sysroot.sh failed");
        sysroot = root.resolve(".cache/sysroot").toString();
        assertTrue(Files.isExecutable(Path.of(sysroot, "usr/bin/busybox")));
    }

    @Test
    void streamsAndExitStatusPassThrough() {
        Hv.Result r = Hv.run("exec", "--sysroot", sysroot, "/usr/bin/busybox", "sh", "-c", "echo out; echo err >&2; exit 9");
        assertEquals(9, r.exit(), r::toString);
        assertEquals(List.of("out"), r.outLines(), r::toString);
        assertEquals(List.of("err"), r.errLines(), r::toString);
    }

    @Test
    void optionsAfterTheProgramAreTheProgramsOwn() {
        Hv.Result r = Hv.run("exec", "--sysroot", sysroot, "/usr/bin/busybox", "ls", "-a", "--", "/etc");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.outLines().contains("..") && r.outLines().contains("passwd"), r::toString);
    }

    @Test
    void environmentAndWorkingDirectory() {
        Hv.Result r = Hv.run("exec", "--sysroot", sysroot, "--env", "GREETING=hello there", "--cwd", "/etc",
                "/usr/bin/busybox", "sh", "-c", "echo \"$GREETING\"; pwd; cat hostname");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("hello there", "/etc", "hv-sysroot"), r.outLines(), r::toString);
    }

    @Test
    void dynamicallyLinkedProgramFromTheSysroot() {
        Hv.Result r = Hv.run("exec", "--sysroot", sysroot, "/usr/bin/ls", "/usr/lib/riscv64-linux-gnu/libc.so.6");
        assertEquals(0, r.exit(), r::toString);
        assertEquals(List.of("/usr/lib/riscv64-linux-gnu/libc.so.6"), r.outLines(), r::toString);
    }

    @Test
    void aFatalSignalGives128PlusItsNumber() {
        Hv.Result r = Hv.run("exec", "--sysroot", sysroot, "/usr/bin/busybox", "sh", "-c", "kill -SEGV $$");
        assertEquals(128 + 11, r.exit(), r::toString);
    }

    @Test
    void aProgramThatIsNotRiscv64IsRefusedWithOneLine() throws IOException {
        Hv.Result r = Hv.run("exec", Path.of("/bin/true").toRealPath().toString());
        assertEquals(3, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("hv: ") && r.err().contains("not a RISC-V ELF"), r::toString);
        Hv.Result missing = Hv.run("exec", "/no/such/program");
        assertEquals(3, missing.exit(), missing::toString);
        assertEquals(1, missing.errLines().size(), missing::toString);
    }
}
