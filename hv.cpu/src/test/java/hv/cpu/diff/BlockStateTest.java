package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The comparator: a doctored dump must show exactly the doctored fields, an identical one nothing. */
class BlockStateTest {

    private static byte[] randomDump(int blocks) {
        byte[] d = new byte[blocks * Area.SIZE];
        new Random(42).nextBytes(d);
        return d;
    }

    private static void putLong(byte[] d, int at, long v) {
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    @Test
    void identicalDumpsHaveNoDifferences() {
        byte[] q = randomDump(3);
        for (int k = 0; k < 3; k++) {
            assertEquals(List.of(), BlockState.differences(BlockState.finalState(q, k), BlockState.finalState(q.clone(), k)));
        }
    }

    @Test
    void doctoredFieldsAreReportedByName() {
        byte[] qemu = randomDump(2);
        byte[] hv = qemu.clone();
        int base = Area.SIZE; // block 1
        putLong(hv, base + Area.xSlot(Area.FINAL, 10), 0x1234);             // a0
        putLong(hv, base + Area.fSlot(Area.FINAL, 31), 0x7ff8_0000_0000_0000L); // ft11
        putLong(hv, base + Area.fcsrSlot(Area.FINAL), 0x21);
        hv[base + 0x3f8 + 3] ^= 0x10;                                       // one bit of the last scratch dword

        assertEquals(List.of(), BlockState.differences(BlockState.finalState(qemu, 0), BlockState.finalState(hv, 0)),
                "block 0 is untouched");
        List<BlockState.Difference> d = BlockState.differences(BlockState.finalState(qemu, 1), BlockState.finalState(hv, 1));
        assertEquals(List.of("x10/a0", "f31/ft11", "fcsr", "mem[0x3f8]"), d.stream().map(BlockState.Difference::field).toList());
        assertEquals(0x1234, d.get(0).actual());
        assertEquals(ByteBuffer.wrap(qemu).order(ByteOrder.LITTLE_ENDIAN).getLong(base + Area.xSlot(Area.FINAL, 10)),
                d.get(0).expected());
        assertEquals(0x10L << 24, d.get(3).expected() ^ d.get(3).actual(), "exactly the flipped bit");
    }

    @Test
    void initialRecordIsNotPartOfTheVerdict() {
        // the INIT record is the program's input: both sides have it from the same ELF; only FINAL counts
        byte[] qemu = randomDump(1);
        byte[] hv = qemu.clone();
        putLong(hv, Area.xSlot(Area.INIT, 5), 99);
        assertEquals(List.of(), BlockState.differences(BlockState.finalState(qemu, 0), BlockState.finalState(hv, 0)));
    }

    @Test
    void describesValuesReadably() {
        BlockState.Difference f = new BlockState.Difference("f1/ft1", 0xffff_ffff_3fc0_0000L, 0x3ff8_0000_0000_0000L);
        assertTrue(f.toString().contains("(s 1.5)") && f.toString().contains("(d 1.5)"), f.toString());
        BlockState.Difference c = new BlockState.Difference("fcsr", 0x90, 0x11);
        assertTrue(c.toString().contains("(rm=4 NV)") && c.toString().contains("(rm=0 NV NX)"), c.toString());
    }
}
