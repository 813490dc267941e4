package hv.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import hv.memory.GuestRam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every bare-metal test guest, once on the interpreter alone and once with every block translated
 * at once by the JIT (jitThreshold 0 and 1), (guests/tests/**.S|c, built by guests/Makefile into
 * guests/out/tests) on one hart and compares its verdict with the source's EXPECT-EXIT comment.
 * Builds the guests first (make is incremental), so a clean clone works.
 */
class GuestProgramsTest {
    private static final Pattern EXPECT = Pattern.compile("EXPECT-EXIT:\\s*(\\d+)");

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("guests/Makefile"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("guests/Makefile not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static void buildGuests(Path root) throws IOException, InterruptedException {
        Process make = new ProcessBuilder("make", "-s", "-C", root.resolve("guests").toString()).redirectErrorStream(true)
                .start();
        String out = new String(make.getInputStream().readAllBytes());
        if (make.waitFor() != 0) {
            throw new IllegalStateException("make -C guests failed:\n" + out);
        }
    }

    @TestFactory
    Stream<DynamicTest> guests() throws Exception {
        Path root = repoRoot();
        buildGuests(root);
        Path tests = root.resolve("guests/tests");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(tests)) {
            sources = s.filter(p -> p.toString().endsWith(".S") || p.toString().endsWith(".c")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no guest sources under " + tests);
        return Stream.of(0, 1).flatMap(jit -> sources.stream().map(src -> {
            String rel = tests.relativize(src).toString().replaceAll("\\.[Sc]$", "");
            Path elf = root.resolve("guests/out/tests").resolve(rel + ".elf");
            return DynamicTest.dynamicTest(rel + " (jitThreshold=" + jit + ")", () -> {
                int expected = expectedExit(src);
                try (BareMetal m = new BareMetal(elf, GuestRam.MIN_SIZE, HartConfig.firmware().withJitThreshold(jit))) {
                    int status = m.run(200_000_000L);
                    assertEquals(expected, status, () -> rel + ": console output: " + m.console);
                }
            });
        }));
    }

    private static int expectedExit(Path src) throws IOException {
        Matcher m = EXPECT.matcher(Files.readString(src));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
