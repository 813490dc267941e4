package hv.procvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The same commands under HV's process VM and under qemu-riscv64 (Debian's qemu-user) must print
 * the same stdout and exit with the same status. Static busybox runs under qemu as is; dynamic
 * coreutils under {@code qemu-riscv64 -L sysroot}. Both run in the same directory inside the
 * sysroot, and every command uses relative paths only, so both see the same files.
 */
class DifferentialTest {
    /** busybox applet command lines (run as busybox ARGS...). */
    private static final List<List<String>> BUSYBOX = List.of(
            List.of("sh", "-c", "echo hello | wc -c; echo $((7 * 6)); printf '%05d|%s\\n' 42 x"),
            List.of("ls", "-la"),
            List.of("ls", "-lR"),
            List.of("sha256sum", "data.bin", "words.txt"),
            List.of("md5sum", "data.bin"),
            List.of("sort", "-r", "words.txt"),
            List.of("sh", "-c", "sort words.txt | uniq -c | sort -rn | head -5"),
            List.of("awk", "{ n += length($0) } END { print n, NR }", "words.txt"),
            List.of("sed", "-n", "s/^\\(a.*\\)e$/[\\1]/p", "words.txt"),
            List.of("sh", "-c", "find . -type f | sort"),
            List.of("tar", "tvf", "archive.tar"),
            List.of("sh", "-c", "gzip -c data.bin | gunzip | cmp - data.bin && echo same"),
            List.of("od", "-A", "x", "-t", "x1z", "-N", "64", "data.bin"),
            List.of("sh", "-c", "seq 1 10 | tr '\\n' , ; echo"),
            List.of("date", "-u", "-d", "@86400"),
            List.of("stat", "-c", "%s %a %F %n", "words.txt", "sub", "link"),
            List.of("du", "-a", "."),
            List.of("wc", "words.txt", "data.bin"),
            List.of("cut", "-c", "1-3", "words.txt"),
            List.of("grep", "-c", "a", "words.txt"),
            List.of("readlink", "link"),
            List.of("sh", "-c", "cat missing; echo status=$?"),
            List.of("sh", "-c", "exit 7"),
            List.of("sh", "-c", "sleep 0.1 & wait; echo waited $?; (exit 3) & wait $!; echo $?; true & p=$!; wait $p; echo $?"),
            List.of("sh", "-c", "(sleep 0.2; echo late) & echo early; wait; jobs; echo done"),
            List.of("sh", "-c", "trap 'echo got USR1' USR1; kill -USR1 $$; echo after; kill -0 $$ && echo alive"),
            List.of("test", "-d", "words.txt"));
    /** coreutils programs (dynamically linked) with their arguments. */
    private static final List<List<String>> COREUTILS = List.of(
            List.of("ls", "-la", "--time-style=long-iso"),
            List.of("ls", "-R"),
            List.of("cat", "-A", "words.txt"),
            List.of("sort", "words.txt"),
            List.of("wc", "words.txt"),
            List.of("sha256sum", "data.bin"),
            List.of("stat", "--format=%s %A %h %n", "words.txt", "sub"),
            List.of("du", "-s", "."),
            List.of("seq", "-w", "8", "12"),
            List.of("factor", "1234567", "600851475143"),
            List.of("head", "-c", "100", "data.bin"),
            List.of("tail", "-n", "3", "words.txt"),
            List.of("ls", "missing"));

    private static void fixture(SysrootDir d) throws IOException {
        Random random = new Random(7);
        byte[] data = new byte[200_000];
        random.nextBytes(data);
        Files.write(d.file("data.bin"), data);
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            int len = 2 + random.nextInt(6);
            for (int j = 0; j < len; j++) {
                words.append((char) ('a' + random.nextInt(6)));
            }
            words.append('\n');
        }
        Files.writeString(d.file("words.txt"), words);
        Files.createDirectories(d.file("sub/deeper"));
        Files.writeString(d.file("sub/deeper/note"), "note\n");
        Files.createSymbolicLink(d.file("link"), Path.of("sub/deeper/note"));
        TestTools.Result tar = TestTools.host(List.of("tar", "-C", d.host.toString(), "-cf", d.file("archive.tar").toString(),
                "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "sub", "words.txt"), 60);
        assertEquals(0, tar.status(), tar::toString);
    }

    private static TestTools.Result qemu(SysrootDir d, boolean dynamic, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("qemu-riscv64"));
        if (dynamic) {
            full.addAll(List.of("-L", d.sysroot.toString()));
        }
        full.addAll(List.of("-E", "LC_ALL=C", "-E", "TZ=UTC"));
        full.addAll(cmd);
        List<String> shell = List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", d.host.toString());
        List<String> all = new ArrayList<>(shell);
        all.addAll(full);
        return TestTools.host(all, 120);
    }

    /** Commands whose reference (qemu) run printed something: guards against both sides failing alike. */
    private int referenceOutputs;

    private void compare(SysrootDir d, boolean dynamic, List<String> guestCmd, List<String> qemuCmd, List<String> failures) {
        TestTools.Result q = qemu(d, dynamic, qemuCmd);
        if (!q.out().isEmpty()) {
            referenceOutputs++;
        }
        TestTools.Result h = TestTools.hv(d.sysroot, d.guest, Map.of("LC_ALL", "C", "TZ", "UTC", "PATH", "/usr/bin:/bin"), null,
                guestCmd.get(0), guestCmd.subList(1, guestCmd.size()).toArray(String[]::new));
        if (q.status() != h.status() || !q.out().equals(h.out())) {
            failures.add(String.join(" ", guestCmd) + "\n--- qemu " + q + "\n--- hv " + h);
        }
    }

    @Test
    void sameOutputAndStatusAsQemuUser() throws IOException {
        List<String> failures = new ArrayList<>();
        try (SysrootDir d = new SysrootDir()) {
            fixture(d);
            String busybox = d.sysroot.resolve("usr/bin/busybox").toString();
            for (List<String> c : BUSYBOX) {
                List<String> guest = new ArrayList<>(List.of("/usr/bin/busybox"));
                guest.addAll(c);
                List<String> host = new ArrayList<>(List.of(busybox));
                host.addAll(c);
                compare(d, false, guest, host, failures);
            }
            for (List<String> c : COREUTILS) {
                List<String> guest = new ArrayList<>(c);
                guest.set(0, "/usr/bin/" + c.get(0));
                List<String> host = new ArrayList<>(c);
                host.set(0, d.sysroot.resolve("usr/bin/" + c.get(0)).toString());
                compare(d, true, guest, host, failures);
            }
        }
        assertEquals(List.of(), failures, () -> failures.size() + " of " + (BUSYBOX.size() + COREUTILS.size())
                + " commands differ:\n" + String.join("\n\n", failures));
        int total = BUSYBOX.size() + COREUTILS.size();
        assertEquals(true, referenceOutputs >= total - 4, "only " + referenceOutputs + " of " + total
                + " reference runs printed anything: is qemu-riscv64 working?");
    }
}
