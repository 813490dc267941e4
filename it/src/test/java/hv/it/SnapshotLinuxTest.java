package hv.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian booted once, snapshotted through the control socket ({@code hv ctl}), quit, and
 * restored by a new {@code hv run --restore} process: the shell answers there, a file written
 * before the snapshot is read back after it, and the virtio disk still works.
 */
class SnapshotLinuxTest {

    @Test
    void snapshotThroughTheControlSocketRestoresInANewProcess() throws Exception {
        Path dir = Files.createTempDirectory("hv-it-snap");
        Path disk = dir.resolve("disk.img");
        byte[] content = new byte[1 << 20];
        new Random(7).nextBytes(content);
        Files.write(disk, content);
        Path sock = dir.resolve("control.sock");
        Path snap = dir.resolve("linux.hvsnap");
        try (GuestSession vm = GuestSession.start("--kernel", LinuxBootTest.guest("Image").toString(),
                "--initrd", LinuxBootTest.guest("initramfs.cpio.gz").toString(), "--append", "console=ttyS0 quiet",
                "--cpus", "2", "--memory", "256M", "--disk", disk.toString(), "--control", "unix:" + sock)) {
            vm.expect(LinuxBootTest.READY, LinuxBootTest.BOOT_TIMEOUT);
            vm.command("echo written-before-the-snapshot > /tmp/marker", 30);
            Hv.Result saved = Hv.run("ctl", "--control", "unix:" + sock, "snapshot", "path=" + snap);
            assertEquals(0, saved.exit(), saved.toString());
            assertTrue(saved.out().startsWith("{\"return\":{\"path\":"), saved.toString());
            Hv.Result quit = Hv.run("ctl", "--control", "unix:" + sock, "quit");
            assertEquals(0, quit.exit(), quit.toString());
            assertEquals(0, vm.waitForExit(60), "quit through the control socket ends hv run with 0");
        }
        assertTrue(Files.size(snap) < (256L << 20), "zero pages are not stored: " + Files.size(snap));

        try (GuestSession vm = GuestSession.start("--restore", snap.toString(), "--disk", disk.toString())) {
            assertEquals("42", vm.command("echo $((6*7))", 60).strip(), vm.stderr());
            assertEquals("written-before-the-snapshot", vm.command("cat /tmp/marker", 30).strip());
            assertEquals("2", vm.command("nproc", 30).strip());
            String sum = vm.command("sha256sum /dev/vda", 60).strip();
            assertTrue(sum.startsWith(LinuxBootTest.sha256(content)), "the disk after the restore: " + sum);
            vm.send("poweroff -f");
            assertEquals(0, vm.waitForExit(120), vm.stderr());
        }
    }
}
