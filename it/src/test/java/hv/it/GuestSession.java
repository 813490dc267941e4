package hv.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A guest VM driven through its console, as a person at a terminal would: starts the real
 * launcher ({@code ./hv run ...}) with the console on pipes, waits for text, types lines.
 * Everything the guest printed is kept for failure messages.
 */
final class GuestSession implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Path stderrFile;
    private final Thread reader;
    private int consumed;

    private GuestSession(Process process, Path stderrFile) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderrFile = stderrFile;
        InputStream out = process.getInputStream();
        this.reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = out.read(buf)) > 0) {
                    synchronized (console) {
                        console.write(buf, 0, n);
                        console.notifyAll();
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "guest-console-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static GuestSession start(String... runArgs) throws IOException {
        BuildImage.requireCurrent();
        Path root = BuildImage.root();
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("hv").toString());
        cmd.add("run");
        cmd.addAll(List.of(runArgs));
        Path err = Files.createTempFile("hv-it-guest", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().put("HV_SKIP_BUILD", "1");
        return new GuestSession(pb.start(), err);
    }

    /**
     * Any other VM with its serial console on stdin/stdout, driven the same way (the network
     * tests use it for the QEMU guest at the other end of a cable).
     */
    static GuestSession startCommand(List<String> cmd) throws IOException {
        Path err = Files.createTempFile("hv-it-vm", ".stderr");
        return new GuestSession(new ProcessBuilder(cmd).redirectError(err.toFile()).start(), err);
    }

    /** The VM process's id (the launcher execs the JVM, so this is the VMM itself). */
    long pid() {
        return process.pid();
    }

    /** Whether the VM process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** Everything the console printed so far. */
    String output() {
        synchronized (console) {
            return console.toString(StandardCharsets.UTF_8);
        }
    }

    String stderr() {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /**
     * Waits until {@code text} appears after what earlier expects consumed; returns the console
     * text from the previous position up to and including the match.
     */
    String expect(String text, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (console) {
            while (true) {
                String all = console.toString(StandardCharsets.UTF_8);
                int at = all.indexOf(text, consumed);
                if (at >= 0) {
                    String seen = all.substring(consumed, at + text.length());
                    consumed = at + text.length();
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    fail("guest did not print '" + text + "' within " + timeoutSeconds + " s (alive=" + process.isAlive()
                            + ")\n--- console tail:\n" + tail(all) + "\n--- hv stderr:\n" + stderr());
                }
                try {
                    console.wait(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }

    /** Types a line at the guest's shell. */
    void send(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /**
     * Runs a shell command and returns what it printed between two unique markers (so the echo
     * of the command line itself is not mistaken for its output).
     */
    String command(String shellCommand, long timeoutSeconds) throws IOException {
        String tag = "M" + Long.toHexString(System.nanoTime());
        send("echo " + tag + "-BEGIN; " + shellCommand + "; echo " + tag + "-END");
        expect(tag + "-BEGIN\r\n", timeoutSeconds).length();
        String body = expect(tag + "-END", timeoutSeconds);
        return body.substring(0, body.length() - (tag + "-END").length()).replace("\r", "");
    }

    /** Waits for the launcher to exit and returns its status. */
    int waitForExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            fail("hv did not exit within " + timeoutSeconds + " s\n--- console tail:\n" + tail(output()) + "\n--- hv stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderrFile);
    }
}
