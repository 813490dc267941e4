package hv.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A running {@code ./hv switch --listen 127.0.0.1:PORT}, for guests to plug their NICs into. */
final class SwitchProcess implements AutoCloseable {
    private final Process process;
    private final Path stderr;

    private SwitchProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    /** Starts the switch and waits until it listens. */
    static SwitchProcess start(int port) throws Exception {
        BuildImage.requireCurrent();
        Path err = Files.createTempFile("hv-it-switch", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(BuildImage.root().resolve("hv").toString(), "switch", "--listen", "127.0.0.1:" + port)
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HV_SKIP_BUILD", "1");
        SwitchProcess s = new SwitchProcess(pb.start(), err);
        GuestNetworking.waitFor(() -> s.stderr().contains("listening on"), 60, "hv switch never listened: " + s.stderr());
        return s;
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the switch at once, as a crash would (no goodbye to its ports). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderr);
    }
}
