package hv.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the real launcher, {@code <root>/hv}, as a subprocess with HV_SKIP_BUILD=1: the reactor's
 * dist module has laid out build/lib and build/plugins before this module's tests run, and
 * {@link BuildImage} checks that they hold exactly the classes being tested.
 */
final class Hv {

    /** What one run of {@code ./hv} did. */
    record Result(List<String> args, int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }

        /** For assertion messages: the whole run. */
        @Override
        public String toString() {
            return "./hv " + String.join(" ", args) + " -> exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private static final long TIMEOUT_SECONDS = 60;

    private Hv() {
    }

    static Result run(String... args) {
        BuildImage.requireCurrent();
        Path root = BuildImage.root();
        List<String> command = new ArrayList<>();
        command.add(root.resolve("hv").toString());
        command.addAll(List.of(args));
        try {
            Path dir = Files.createTempDirectory("hv-it-run");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Map<String, String> env = pb.environment();
            env.put("HV_SKIP_BUILD", "1");
            env.remove("HV_DEBUG");
            env.remove("HV_JAVA_OPTS");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("./hv " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            Result r = new Result(List.of(args), p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            Files.delete(dir);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
