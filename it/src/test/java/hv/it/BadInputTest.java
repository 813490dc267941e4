package hv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static hv.it.LauncherAssertions.assertBadInput;
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

    /** The first 4 KiB of the real Debian Image: the header promises far more than is there. */
    @Test
    void truncatedKernelImage(@TempDir Path dir) throws IOException {
        Path image = BuildImage.root().resolve(".cache/guest/Image");
        assertTrue(Files.isRegularFile(image), image + " missing: run scripts/fetch-guest.sh");
        Path kernel = dir.resolve("Image-truncated");
        byte[] head = new byte[4096];
        try (var in = Files.newInputStream(image)) {
            assertEquals(head.length, in.readNBytes(head, 0, head.length));
        }
        Files.write(kernel, head);
        assertBadInput(Hv.run("run", "--kernel", kernel.toString()), "image_size");
    }

    @Test
    void initrdThatDoesNotFitInRam(@TempDir Path dir) throws IOException {
        Path image = BuildImage.root().resolve(".cache/guest/Image");
        assertTrue(Files.isRegularFile(image), image + " missing: run scripts/fetch-guest.sh");
        Path initrd = dir.resolve("huge.cpio");
        try (var ch = java.nio.channels.FileChannel.open(initrd, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), (40L << 20) - 1); // sparse 40 MiB
        }
        assertBadInput(Hv.run("run", "--kernel", image.toString(), "--initrd", initrd.toString(), "--memory", "64M"), "--memory");
    }

    @Test
    void zeroCpus(@TempDir Path dir) throws IOException {
        Path kernel = dir.resolve("k");
        Files.write(kernel, new byte[] {1});
        assertBadInput(Hv.run("run", "--kernel", kernel.toString(), "--cpus", "0"), "--cpus");
    }

    @Test
    void memoryTooSmall(@TempDir Path dir) throws IOException {
        Path kernel = dir.resolve("k");
        Files.write(kernel, new byte[] {1});
        assertBadInput(Hv.run("run", "--kernel", kernel.toString(), "--memory", "1K"), "--memory");
    }

}
