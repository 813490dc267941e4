package hv.procvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Dynamically linked Debian riscv64 programs (coreutils) from the sysroot: the process VM loads
 * ld-linux-riscv64-lp64d.so.1 from PT_INTERP, which maps libc and friends with mmap.
 */
class DynamicProgramsTest {

    @Test
    void coreutilsCatSortWcAndSha256sum() throws IOException, NoSuchAlgorithmException {
        try (SysrootDir d = new SysrootDir()) {
            List<String> lines = List.of("pear", "apple", "fig", "banana", "cherry");
            Files.write(d.file("fruit"), lines);
            TestTools.Result cat = d.run("/usr/bin/cat", "-n", "fruit");
            assertEquals(0, cat.status(), cat::toString);
            assertEquals("     1\tpear\n     2\tapple\n     3\tfig\n     4\tbanana\n     5\tcherry\n", cat.out());

            TestTools.Result sort = d.run("/usr/bin/sort", "fruit");
            assertEquals(lines.stream().sorted().collect(Collectors.joining("\n", "", "\n")), sort.out(), sort::toString);

            TestTools.Result wc = d.run("/usr/bin/wc", "-l", "fruit");
            assertEquals("5 fruit\n", wc.out(), wc::toString);

            byte[] data = Files.readAllBytes(d.file("fruit"));
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            TestTools.Result sum = d.run("/usr/bin/sha256sum", "fruit");
            assertEquals(hex + "  fruit\n", sum.out(), sum::toString);
        }
    }

    @Test
    void coreutilsLsShowsNamesOwnersAndSizes() throws IOException {
        try (SysrootDir d = new SysrootDir()) {
            Files.writeString(d.file("small"), "12345");
            Files.createDirectory(d.file("dir"));
            TestTools.Result r = d.run("/usr/bin/ls", "-ln", "--time-style=+", ".");
            assertEquals(0, r.status(), r::toString);
            List<String> out = r.out().lines().toList();
            assertTrue(out.get(0).startsWith("total "), r::toString);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("drwx") && l.endsWith(" dir")), r::toString);
            assertTrue(out.stream().anyMatch(l -> l.startsWith("-rw") && l.matches(".* 5 +small")), r::toString);
            TestTools.Result missing = d.run("/usr/bin/ls", "no-such-file");
            assertEquals(2, missing.status(), missing::toString);
            assertTrue(missing.err().contains("No such file or directory"), missing::toString);
        }
    }

    @Test
    void dynamicProgramWithoutSysrootIsRefusedClearly() {
        TestTools.Result r = TestTools.hv(TestTools.sysroot().resolve("usr/bin/true").toString());
        assertEquals(-1, r.status());
        assertTrue(r.err().contains("ELF interpreter /lib/ld-linux-riscv64-lp64d.so.1 not found"), r::toString);
    }
}
