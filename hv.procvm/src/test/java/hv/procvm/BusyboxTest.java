package hv.procvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Debian's riscv64 busybox-static, from the sysroot, under the process VM: shell scripts with
 * pipelines and the applets the issue lists. Expected results are computed independently in
 * Java (digests, sorting, sums, compression round trips through java.util.zip).
 */
class BusyboxTest {
    private static final Random RANDOM = new Random(20240601);

    private static String words(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int len = 3 + RANDOM.nextInt(8);
            for (int j = 0; j < len; j++) {
                sb.append((char) ('a' + RANDOM.nextInt(26)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void ok(TestTools.Result r) {
        assertEquals(0, r.status(), r::toString);
    }

    @Test
    void shellPipelinesAndExitStatuses() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            TestTools.Result r = d.sh("printf 'b\\na\\nc\\n' | sort | tr a-z A-Z | head -2; x=$(echo sub); echo \"[$x]\"; "
                    + "for i in 1 2 3; do echo $i; done | wc -l; echo $((6 * 7)); test -e nothing || echo absent");
            ok(r);
            assertEquals("A\nB\n[sub]\n3\n42\nabsent\n", r.out());
            assertEquals(3, d.sh("exit 3").status());
            assertEquals(128 + 9, d.sh("kill -9 $$").status());
            assertEquals(1, d.run("/usr/bin/busybox", "false").status());
            TestTools.Result nested = d.sh("sh -c 'exit 4'; echo inner=$?; (exit 5); echo sub=$?; false | true; echo pipe=$?");
            assertEquals("inner=4\nsub=5\npipe=0\n", nested.out(), nested::toString);
        }
    }

    @Test
    void lsListsADirectory() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String n = "file-" + Integer.toString(RANDOM.nextInt(1 << 20), 36);
                names.add(n);
                Files.writeString(d.file(n), n);
            }
            Files.createDirectory(d.file("zdir"));
            names.add("zdir");
            TestTools.Result r = d.run("/usr/bin/busybox", "ls", "-1");
            ok(r);
            assertEquals(names.stream().sorted().distinct().collect(Collectors.joining("\n", "", "\n")), r.out());
            TestTools.Result l = d.run("/usr/bin/busybox", "ls", "-ld", "zdir", names.get(0));
            ok(l);
            assertEquals(2, l.out().lines().count(), l::toString);
        }
    }

    @Test
    void sha256sumOfAMegabyte() throws IOException, NoSuchAlgorithmException {
        try (SysrootDir d = new SysrootDir()) {
            byte[] data = new byte[1 << 20];
            RANDOM.nextBytes(data);
            Files.write(d.file("data.bin"), data);
            TestTools.Result r = d.run("/usr/bin/busybox", "sha256sum", "data.bin");
            ok(r);
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            assertEquals(hex + "  data.bin\n", r.out());
        }
    }

    @Test
    void gzipAndGunzipInteroperateWithJavaUtilZip() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            byte[] text = words(100_000).getBytes(StandardCharsets.US_ASCII);
            Files.write(d.file("text"), text);
            ok(d.sh("gzip -c text > text.gz && gzip -t text.gz"));
            byte[] ours;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(d.file("text.gz")))) {
                ours = in.readAllBytes();
            }
            assertArrayEquals(text, ours, "busybox gzip output decompressed by java.util.zip");
            assertEquals(true, Files.size(d.file("text.gz")) < text.length * 3 / 4, "it compressed");

            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(text);
            }
            Files.write(d.file("java.gz"), gz.toByteArray());
            ok(d.sh("gunzip java.gz"));
            assertArrayEquals(text, Files.readAllBytes(d.file("java")), "java.util.zip output gunzipped by busybox");
        }
    }

    @Test
    void sortAwkAndSed() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            List<Integer> numbers = new ArrayList<>();
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                int n = RANDOM.nextInt(1_000_000) - 500_000;
                numbers.add(n);
                csv.append("row").append(i).append(',').append(n).append(",foo\n");
            }
            Files.writeString(d.file("data.csv"), csv);
            TestTools.Result sorted = d.sh("cut -d, -f2 data.csv | sort -n");
            ok(sorted);
            assertEquals(numbers.stream().sorted().map(String::valueOf).collect(Collectors.joining("\n", "", "\n")), sorted.out());

            TestTools.Result sum = d.run("/usr/bin/busybox", "awk", "-F,", "{ s += $2; if ($2 > m || NR == 1) m = $2 } END { print s, m, NR }", "data.csv");
            ok(sum);
            long total = numbers.stream().mapToLong(Integer::longValue).sum();
            int max = numbers.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertEquals(total + " " + max + " 2000\n", sum.out());

            TestTools.Result sed = d.run("/usr/bin/busybox", "sed", "-e", "s/foo/bar/", "-e", "/^row1[0-9]*,/d", "data.csv");
            ok(sed);
            String expected = csv.toString().lines().filter(l -> !l.matches("row1[0-9]*,.*"))
                    .map(l -> l.replaceFirst("foo", "bar")).collect(Collectors.joining("\n", "", "\n"));
            assertEquals(expected, sed.out());
        }
    }

    @Test
    void findAndTar() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            List<String> files = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Path dir = d.file("tree/d" + i + "/sub");
                Files.createDirectories(dir);
                for (int j = 0; j < 3; j++) {
                    String name = "tree/d" + i + (j == 0 ? "/sub/" : "/") + "f" + j + (j == 2 ? ".log" : ".txt");
                    Files.writeString(d.file(name), words(10 + i * j));
                    if (name.endsWith(".txt")) {
                        files.add("./" + name);
                    }
                }
            }
            TestTools.Result find = d.sh("find . -name '*.txt' -type f | sort");
            ok(find);
            assertEquals(files.stream().sorted().collect(Collectors.joining("\n", "", "\n")), find.out());

            ok(d.sh("tar cf t.tar tree && mkdir out && cd out && tar xf ../t.tar"));
            try (Stream<Path> s = Files.walk(d.file("tree"))) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    Path copy = d.file("out").resolve(d.host.relativize(p));
                    assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(copy), "tar round trip of " + p);
                }
            }
            TestTools.Result list = d.run("/usr/bin/busybox", "tar", "tf", "t.tar");
            ok(list);
            assertEquals(5 * 3, list.out().lines().filter(l -> !l.endsWith("/")).count(), list::toString);
        }
    }
}
