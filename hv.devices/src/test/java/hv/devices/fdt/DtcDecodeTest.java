package hv.devices.fdt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Debian's dtc must decode the machine's DTB without a single error or warning. */
class DtcDecodeTest {

    @TempDir
    Path tmp;

    @Test
    void dtcDecodesTheMachineTreeWithoutWarnings() throws Exception {
        for (int harts : new int[]{1, 2, 8}) {
            VirtMachineTree tree = TestMachines.twoHarts().harts(harts).rngSeed(new byte[32]);
            Path dtb = tmp.resolve("hv-" + harts + ".dtb");
            Files.write(dtb, tree.toDtb());
            Result r = dtc(dtb);
            assertEquals(0, r.exit, "dtc failed:\n" + r.stderr);
            assertEquals("", r.stderr.strip(), "dtc warnings for " + harts + " harts");
            assertTrue(r.stdout.contains("compatible = \"sifive,plic-1.0.0\", \"riscv,plic0\";")
                    || r.stdout.contains("compatible = \"sifive,plic-1.0.0\\0riscv,plic0\";"), r.stdout);
            assertTrue(r.stdout.contains("stdout-path = \"/soc/serial@10000000\";"), r.stdout);
        }
    }

    @Test
    void dtcRejectsACorruptedBlobSoTheCheckAboveMeansSomething() throws Exception {
        byte[] blob = TestMachines.twoHarts().toDtb();
        blob[0] = 0; // break the magic
        Path dtb = tmp.resolve("bad.dtb");
        Files.write(dtb, blob);
        Result r = dtc(dtb);
        assertTrue(r.exit != 0 || !r.stderr.isBlank(), "dtc accepted a blob without magic");
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result dtc(Path dtb) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", dtb.toString())
                    .redirectOutput(tmp.resolve("out.txt").toFile())
                    .redirectError(tmp.resolve("err.txt").toFile())
                    .start();
        } catch (IOException e) {
            fail("dtc is not installed: install the Debian package device-tree-compiler (apt-get install device-tree-compiler)");
            throw e;
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("dtc did not finish");
        }
        return new Result(p.exitValue(),
                Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
