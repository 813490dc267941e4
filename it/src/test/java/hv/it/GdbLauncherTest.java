package hv.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./hv run --gdb 0 --gdb-wait} with the real gdb-multiarch: the launcher prints the port it
 * listens on, the guest waits for the debugger, and what gdb changes (a0 at a breakpoint) becomes
 * the launcher's exit status. Also the usage errors of the two options.
 */
class GdbLauncherTest {
    private static final Pattern LISTENING = Pattern.compile("hv: gdb: listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void gdbMultiarchDebugsAGuestStartedByTheLauncher() throws Exception {
        BuildImage.requireCurrent();
        Path root = BuildImage.root();
        run(List.of("make", "-s", "-C", root.resolve("guests").toString()));
        Path elf = root.resolve("guests/out/tests/debug/gdb_target.elf");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("hv").toString(), "run", "--bios", "none",
                "--kernel", elf.toString(), "--memory", "32M", "--gdb", "0", "--gdb-wait")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("HV_SKIP_BUILD", "1");
        pb.environment().remove("HV_JAVA_OPTS");
        Process hv = pb.start();
        try {
            BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
            StringBuilder err = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(hv.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (err) {
                            err.append(line).append('\n');
                        }
                        errLines.add(line);
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            String port = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (port == null && System.nanoTime() < deadline) {
                String line = errLines.poll(1, TimeUnit.SECONDS);
                Matcher m = line == null ? null : LISTENING.matcher(line);
                if (m != null && m.find()) {
                    port = m.group(1);
                }
            }
            assertNotNull(port, () -> "no 'listening' line from hv:\n" + err);

            String out = run(List.of("gdb-multiarch", "-nx", "-batch", "-ex", "target remote 127.0.0.1:" + port,
                    "-ex", "break *check_result", "-ex", "continue", "-ex", "info registers a0",
                    "-ex", "set $a0 = 21", "-ex", "delete", "-ex", "continue", elf.toString()));
            assertTrue(out.matches("(?s).*a0\\s+0x10\\s.*"), out);
            assertTrue(out.contains("exited with code 05"), out);
            assertTrue(hv.waitFor(30, TimeUnit.SECONDS), "hv did not exit");
            assertEquals(5, hv.exitValue(), () -> "hv's exit status is the guest's: a0 - 16\n" + err);
        } finally {
            hv.destroyForcibly();
        }
    }

    @Test
    void gdbOptionsAreCheckedLikeEveryOther() {
        Hv.Result noAddress = Hv.run("run", "--bios", "none", "--kernel", "/dev/null", "--gdb-wait");
        assertEquals(2, noAddress.exit(), noAddress::toString);
        assertTrue(noAddress.err().contains("--gdb-wait needs --gdb"), noAddress::toString);
        Hv.Result bad = Hv.run("run", "--bios", "none", "--kernel", "/dev/null", "--gdb", "here:there");
        assertEquals(2, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--gdb here:there"), bad::toString);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + out);
        return out;
    }
}
