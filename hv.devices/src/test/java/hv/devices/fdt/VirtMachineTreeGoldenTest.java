package hv.devices.fdt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structure of the generated tree, decoded by an independent reader and compared with a
 * golden file that was checked by hand against QEMU 7.2's {@code -M virt,dumpdtb} output (same
 * node names, compatibles, reg, interrupt wiring; HV adds riscv,isa-base/-extensions and
 * #address-cells on the hart controllers). To update after an intended change, run with
 * {@code -Dhv.golden.update=true} and review the diff.
 */
class VirtMachineTreeGoldenTest {

    private static final String GOLDEN = "golden/virt-2harts.dts.txt";

    @Test
    void twoHartMachineMatchesGolden() throws IOException {
        DtbDecoder.Decoded d = DtbDecoder.decode(TestMachines.twoHarts().toDtb());
        if (Boolean.getBoolean("hv.golden.update")) {
            Path p = Path.of("src/test/resources", GOLDEN);
            Files.createDirectories(p.getParent());
            Files.writeString(p, d.dts());
        }
        assertEquals(golden(), d.dts());
        assertEquals(0, d.bootCpu());
        assertTrue(d.reservations().isEmpty());
    }

    @Test
    void reservationsAreEncoded() {
        DeviceTree t = TestMachines.twoHarts().build();
        t.reserve(0x8000_0000L, 0x20_0000L);
        DtbDecoder.Decoded d = DtbDecoder.decode(t.toDtb(1));
        assertEquals(1, d.reservations().size());
        assertEquals(0x8000_0000L, d.reservations().get(0)[0]);
        assertEquals(0x20_0000L, d.reservations().get(0)[1]);
        assertEquals(1, d.bootCpu());
    }

    @Test
    void mmuTypeAndIsaAreParameters() {
        String dts = DtbDecoder.decode(TestMachines.twoHarts().mmuType("riscv,sv39").isa("rv64gc_sstc").toDtb()).dts();
        assertTrue(dts.contains("mmu-type = \"riscv,sv39\";"));
        assertTrue(dts.contains("riscv,isa-extensions = \"i\", \"m\", \"a\", \"f\", \"d\", \"zicsr\", \"zifencei\", \"c\", \"sstc\";"), dts);
        assertTrue(dts.contains("riscv,isa-base = \"rv64i\";"));
    }

    @Test
    void badNamesAndValuesAreRefused() {
        DeviceTree t = new DeviceTree();
        assertThrows(IllegalArgumentException.class, () -> t.root().child("bad name"));
        assertThrows(IllegalArgumentException.class, () -> t.root().child("x".repeat(40)));
        assertThrows(IllegalArgumentException.class, () -> t.root().property("bad name", 1));
        assertThrows(IllegalArgumentException.class, () -> t.root().property("s", "a\0b"));
        assertThrows(IllegalStateException.class, () -> t.root().child("dev@1").plicInterrupt(3),
                "no interrupt controller yet");
        assertThrows(IllegalArgumentException.class, () -> new VirtMachineTree().isa("x86_64"));
        FdtNode cpus = t.root().child("cpus");
        cpus.property("#address-cells", 1).property("#size-cells", 0);
        assertThrows(IllegalArgumentException.class, () -> cpus.child("cpu@0").reg(0x1_0000_0000L, 0),
                "address does not fit one cell");
    }

    @Test
    void aDeviceWhoseDescribeThrowsIsNamed() {
        VirtMachineTree t = TestMachines.twoHarts();
        t.device("broken0", new hv.devices.testing.DescribeOnlyDevice(soc -> {
            throw new IllegalArgumentException("boom");
        }));
        IllegalStateException e = assertThrows(IllegalStateException.class, t::build);
        assertTrue(e.getMessage().contains("broken0") && e.getMessage().contains("boom"), e.getMessage());
    }

    private static String golden() throws IOException {
        try (InputStream in = VirtMachineTreeGoldenTest.class.getClassLoader().getResourceAsStream(GOLDEN)) {
            assertNotNull(in, "missing golden file " + GOLDEN + " (run once with -Dhv.golden.update=true and review)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
