package hv.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6: Debian's riscv64 kernel and a busybox initramfs (scripts/fetch-guest.sh) boot on HV to
 * a shell; the shell works; the virtio disk works; poweroff ends HV with status 0.
 */
class LinuxBootTest {
    static final String READY = "HV-GUEST-READY";
    static final long BOOT_TIMEOUT = 240;

    static Path guest(String file) {
        Path p = BuildImage.root().resolve(".cache/guest").resolve(file);
        assertTrue(Files.isRegularFile(p), p + " is missing: run scripts/fetch-guest.sh (./run-tests does)");
        return p;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void bootsOneVcpuToAShellUsesTheDiskAndPowersOff() throws Exception {
        Path dir = Files.createTempDirectory("hv-it-linux");
        Path disk = dir.resolve("disk.img");
        byte[] content = new byte[4 << 20];
        new Random(42).nextBytes(content);
        Files.write(disk, content);
        try (GuestSession vm = GuestSession.start("--kernel", guest("Image").toString(), "--initrd", guest("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--cpus", "1", "--memory", "256M", "--disk", disk.toString())) {
            vm.expect(READY, BOOT_TIMEOUT);
            String uname = vm.command("uname -a", 30);
            assertTrue(uname.contains("riscv64") && uname.contains("Linux"), uname);
            assertEquals("1", vm.command("nproc", 30).strip());
            String cpuinfo = vm.command("cat /proc/cpuinfo", 30);
            assertTrue(cpuinfo.contains("hart") && cpuinfo.contains("rv64"), cpuinfo);
            String guestSum = vm.command("sha256sum /dev/vda", 120).strip();
            assertTrue(guestSum.startsWith(sha256(content)), "guest read the disk as " + guestSum);
            vm.command("echo hello-from-the-guest | dd of=/dev/vda bs=512 seek=100 conv=notrunc 2>/dev/null; sync", 60);
            assertEquals("hello-from-the-guest", vm.command("dd if=/dev/vda bs=512 skip=100 count=1 2>/dev/null | head -n 1", 60).strip());
            vm.send("poweroff -f");
            assertEquals(0, vm.waitForExit(180), "poweroff must end HV with status 0");
        }
        byte[] after = Files.readAllBytes(disk);
        assertEquals("hello-from-the-guest\n", new String(after, 51200, 21));
    }

    @Test
    void bootsFourVcpusAndRunsAParallelWorkload() throws Exception {
        byte[] zeros = new byte[2 << 20];
        String expected = sha256(zeros);
        try (GuestSession vm = GuestSession.start("--kernel", guest("Image").toString(), "--initrd", guest("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--cpus", "4", "--memory", "512M")) {
            vm.expect(READY, BOOT_TIMEOUT);
            assertEquals("4", vm.command("nproc", 30).strip());
            String out = vm.command("for i in 1 2 3 4; do (dd if=/dev/zero bs=64k count=32 2>/dev/null | sha256sum > /tmp/s$i) & done; wait; cat /tmp/s1 /tmp/s2 /tmp/s3 /tmp/s4", 180);
            long good = out.lines().filter(l -> l.startsWith(expected)).count();
            assertEquals(4, good, "each of the 4 parallel jobs must hash 2 MiB of zeros correctly:\n" + out);
            vm.send("poweroff -f");
            assertEquals(0, vm.waitForExit(180));
        }
    }

    @Test
    void bootsThroughOpenSbiFirmware() throws Exception {
        Path fw = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin");
        assertTrue(Files.isRegularFile(fw), fw + " is missing: install Debian's opensbi (scripts/setup-host.sh does)");
        try (GuestSession vm = GuestSession.start("--bios", fw.toString(), "--kernel", guest("Image").toString(),
                "--initrd", guest("initramfs.cpio.gz").toString(), "--append", "console=ttyS0 quiet", "--cpus", "2", "--memory", "256M")) {
            // Two harts: OpenSBI's IPIs (csrrs mip) while a device interrupt is pending once latched
            // SEIP and stalled poweroff in an interrupt storm; this keeps firmware-mode SMP honest.
            String boot = vm.expect(READY, BOOT_TIMEOUT);
            assertTrue(vm.output().contains("OpenSBI"), "OpenSBI's banner must appear:\n" + boot);
            assertEquals("2", vm.command("nproc", 30).strip());
            vm.send("poweroff -f");
            assertEquals(0, vm.waitForExit(180));
        }
    }
}
