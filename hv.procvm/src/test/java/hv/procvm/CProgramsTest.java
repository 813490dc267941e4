package hv.procvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small C programs (hv.procvm/src/test/c), cross-compiled at test time, run under the process VM.
 * Each program checks itself and prints "ok ..." or "FAIL ..." per check; the tests also check the
 * exit status and, where the program cannot know the answer, the output.
 */
class CProgramsTest {

    private static void assertAllOk(TestTools.Result r, int minChecks) {
        assertFalse(r.out().contains("FAIL"), r::toString);
        long oks = r.out().lines().filter(l -> l.startsWith("ok ")).count();
        assertTrue(oks >= minChecks, () -> "expected at least " + minChecks + " checks, got " + oks + "\n" + r);
        assertEquals(0, r.status(), r::toString);
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void argumentsEnvironmentAuxvAndExitStatus(@TempDir Path dir) {
        Path exe = TestTools.compile("basic");
        TestTools.Result r = TestTools.hv(null, dir.toString(), Map.of("HV_TEST", "value 1"), null, exe.toString(), "one", "two words");
        assertAllOk(r, 13);
        assertTrue(r.out().contains("argc=3\nargv[0]=" + exe + "\nargv[1]=one\nargv[2]=two words\n"), r::toString);
        assertTrue(r.out().contains("HV_TEST=value 1\n"), r::toString);
        assertTrue(r.out().contains("cwd=" + real(dir) + "\n"), r::toString);
        assertEquals("hv exec: unimplemented system call 333 (syscall_333), returning ENOSYS\nto stderr\n", r.err(),
                "reported once, on stderr");
        assertEquals(42, TestTools.hv(exe.toString(), "exit42").status());
        assertEquals(255, TestTools.hv(exe.toString(), "exit255").status());
    }

    @Test
    void staticPieProgramRunsAtALoadBias() {
        Path exe = TestTools.compile("pie", "-static-pie", "-fPIE", "-nostdlib", "-ffreestanding", "-Wl,--no-dynamic-linker");
        TestTools.Result r = TestTools.hv(exe.toString(), "x");
        assertEquals(3, r.status(), r::toString);
        assertEquals("pie: relocated\npie: argc 2\n", r.out());
    }

    @Test
    void filesAndDirectories(@TempDir Path dir) {
        assertAllOk(TestTools.hv(TestTools.compile("files").toString(), dir.toString()), 40);
    }

    @Test
    void memoryMappings() {
        assertAllOk(TestTools.hv(TestTools.compile("memory").toString()), 18);
    }

    @Test
    void processesPipesAndExec() {
        TestTools.Result r = TestTools.hv(TestTools.compile("procs").toString());
        assertAllOk(r, 12);
        assertTrue(r.out().contains("exec'd child: arg\n"), r::toString);
    }

    @Test
    void threadsAndFutexes() {
        TestTools.Result r = TestTools.hv(TestTools.compile("threads").toString());
        assertAllOk(r, 8);
        assertTrue(r.out().contains("counter=80000\n"), r::toString);
    }

    @Test
    void threadsMappingAndUnmappingAtOnce() {
        assertAllOk(TestTools.hv(TestTools.compile("mtmaps").toString()), 1);
    }

    @Test
    void signals() {
        assertAllOk(TestTools.hv(TestTools.compile("signals").toString()), 10);
    }

    @Test
    void eventFdEpollPollMasksAndJobControl() {
        Path exe = TestTools.compile("events");
        TestTools.Result r = TestTools.hv(exe.toString(), "hv");
        assertAllOk(r, 69);
        assertEquals("hv exec: inotify is not supported (inotify_init1 returns ENOSYS; programs fall back to polling)\n"
                + "hv exec: System V IPC is not supported (shmget and the other shm/sem/msg calls fail as if no IPC object"
                + " existed)\n", r.err(), "each refusal reported once, on stderr");
        // The same checks (without HV's refusals) hold under Linux itself, as qemu-riscv64 runs them.
        TestTools.Result q = TestTools.host(java.util.List.of("qemu-riscv64", exe.toString()), 60);
        assertAllOk(q, 59);
    }

    @Test
    void aProgramReplacedBetweenTwoExecsRunsItsNewContents(@TempDir Path dir) throws IOException {
        // execve keeps parsed programs cached: a replaced file must not run its old contents.
        Files.copy(TestTools.compile("basic"), dir.resolve("first"));
        Files.copy(TestTools.compile("pie", "-static-pie", "-fPIE", "-nostdlib", "-ffreestanding", "-Wl,--no-dynamic-linker"),
                dir.resolve("second"));
        String busybox = TestTools.sysroot().resolve("usr/bin/busybox").toString();
        TestTools.Result r = TestTools.hv(null, dir.toString(), Map.of(), null, busybox, "sh", "-c",
                "cp first prog && ./prog once; ./prog twice; cp second prog && ./prog x; echo status=$?");
        assertTrue(r.out().contains("argv[1]=once\n"), r::toString);
        assertTrue(r.out().contains("argv[1]=twice\n"), r::toString);
        assertTrue(r.out().endsWith("pie: relocated\npie: argc 2\nstatus=3\n"), r::toString);
    }

    @Test
    void floatingPointThroughLibc() {
        TestTools.Result r = TestTools.hv(TestTools.compile("fp").toString());
        assertEquals(0, r.status(), r::toString);
        double basel = 0;
        for (int i = 1; i <= 1000; i++) {
            basel += 1.0 / ((double) i * i);
        }
        assertTrue(r.out().contains(String.format("basel=%.12f%n", basel)), r::toString);
        assertTrue(r.out().contains(String.format("sqrt2=%.15f%n", Math.sqrt(2))), r::toString);
        assertTrue(r.out().contains(String.format("pi=%.10f%n", Math.PI)), r::toString);
        assertTrue(r.out().contains("strtod=12345.678\n"), r::toString);
    }

    @Test
    void fatalSignalsExitWith128PlusTheSignal() {
        String exe = TestTools.compile("crash").toString();
        assertEquals(128 + 11, TestTools.hv(exe, "segv").status());
        assertEquals(128 + 4, TestTools.hv(exe, "ill").status());
        assertEquals(128 + 6, TestTools.hv(exe, "abort").status());
        assertEquals(128 + 9, TestTools.hv(exe, "kill").status());
    }

    @Test
    void randomSystemCallsCannotCrashTheProcessVm(@TempDir Path dir) throws IOException {
        // An empty directory as the sysroot: whatever paths the calls make up stay inside it.
        Files.createDirectories(dir.resolve("tmp"));
        Path exe = TestTools.compile("fuzz");
        TestTools.Result r = TestTools.hv(dir, "/", Map.of(), null, exe.toString(), "25");
        assertEquals(0, r.status(), r::toString);
        assertTrue(r.out().startsWith("fuzz done: 25 rounds"), r::toString);
        assertFalse(r.err().contains("internal error"), r::toString);
    }

    @Test
    void badProgramsAreRefusedWithOneLine(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notelf");
        Files.writeString(text, "this is not an ELF file at all, just some text\n");
        text.toFile().setExecutable(true);
        TestTools.Result r = TestTools.hv(text.toString());
        assertEquals(-1, r.status());
        assertTrue(r.err().contains("not an ELF"), r::toString);
        assertFalse(r.err().contains("\n"), r::toString);

        Path truncated = dir.resolve("truncated");
        byte[] elf = Files.readAllBytes(TestTools.compile("basic"));
        Files.write(truncated, java.util.Arrays.copyOf(elf, 40));
        r = TestTools.hv(truncated.toString());
        assertEquals(-1, r.status());
        assertTrue(r.err().contains("truncated"), r::toString);

        Path x86 = Path.of("/bin/true");
        r = TestTools.hv(x86.toRealPath().toString());
        assertEquals(-1, r.status());
        assertTrue(r.err().contains("not a RISC-V"), r::toString);

        r = TestTools.hv(dir.resolve("missing").toString());
        assertEquals(-1, r.status());
    }
}
