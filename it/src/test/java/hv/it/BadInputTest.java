package hv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static hv.it.LauncherAssertions.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad configuration or input: exit 3, HV's messages on stderr each prefixed {@code hv: }, the last
 * one naming what is wrong, nothing on stdout (the guest console), and never a stack trace.
 */
class BadInputTest {

    @Test
    void missingKernelFile(@TempDir Path dir) {
        Path kernel = dir.resolve("no-such-Image");

        assertBadInput(Hv.run("run", "--kernel", kernel.toString()), kernel.toString());
    }

    @Test
    void kernelThatIsNeitherImageNorElf(@TempDir Path dir) throws IOException {
        Path kernel = Files.writeString(dir.resolve("garbage"), "not a kernel\n".repeat(100));

        assertBadInput(Hv.run("run", "--kernel", kernel.toString()), kernel.toString());
    }

    @Test
    void memorySizeThatIsNotASize(@TempDir Path dir) throws IOException {
        Path kernel = Files.writeString(dir.resolve("garbage"), "x");

        assertBadInput(Hv.run("run", "--kernel", kernel.toString(), "--memory", "lots"), "lots");
    }

    @Test
    void unknownDeviceType(@TempDir Path dir) throws IOException {
        Path kernel = Files.writeString(dir.resolve("garbage"), "x");

        assertBadInput(Hv.run("run", "--kernel", kernel.toString(), "--device", "no-such-device"), "no-such-device");
    }

    private static void assertBadInput(Hv.Result r, String named) {
        assertNoStackTrace(r);
        assertEquals(3, r.exit(), r::toString);
        assertEquals("", r.out(), r::toString);
        List<String> err = r.errLines();
        assertTrue(!err.isEmpty() && err.stream().allMatch(l -> l.startsWith("hv: ")), () -> "every stderr line starts with 'hv: ':\n" + r);
        assertTrue(err.get(err.size() - 1).contains(named), () -> "the last line should name '" + named + "':\n" + r);
    }
}
