package hv.cpu.elf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfImageTest {

    /** A minimal ELF64 LE RISC-V executable with one PT_LOAD of 8 bytes at 0x80000000. */
    static byte[] minimal() {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1);
        b.putLong(24, 0x8000_0000L).putLong(32, 64).putLong(40, 0);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
        int ph = 64;
        b.putInt(ph, 1).putInt(ph + 4, 5).putLong(ph + 8, 120).putLong(ph + 16, 0x8000_0000L).putLong(ph + 24, 0x8000_0000L)
                .putLong(ph + 32, 8).putLong(ph + 40, 16).putLong(ph + 48, 4096);
        b.putLong(120, 0x1122334455667788L);
        return b.array();
    }

    @Test
    void parsesSegmentsAndEntry() throws Exception {
        ElfImage e = ElfImage.parse(minimal());
        assertEquals(0x8000_0000L, e.entry());
        assertEquals(1, e.loadSegments().size());
        assertEquals(16, e.loadSegments().get(0).memorySize());
        assertEquals((byte) 0x88, e.segmentBytes(e.loadSegments().get(0))[0]);
        assertTrue(e.symbol("tohost").isEmpty());
    }

    @Test
    void rejectsWrongClassEndianMachineAndTruncation() {
        byte[] d = minimal();
        d[4] = 1;
        assertTrue(assertThrows(ElfException.class, () -> ElfImage.parse(d)).getMessage().contains("64-bit"));
        byte[] be = minimal();
        be[5] = 2;
        assertTrue(assertThrows(ElfException.class, () -> ElfImage.parse(be)).getMessage().contains("little-endian"));
        byte[] x86 = minimal();
        x86[18] = 62;
        assertTrue(assertThrows(ElfException.class, () -> ElfImage.parse(x86)).getMessage().contains("RISC-V"));
        byte[] cut = java.util.Arrays.copyOf(minimal(), 124);
        assertTrue(assertThrows(ElfException.class, () -> ElfImage.parse(cut)).getMessage().contains("truncated"));
        assertThrows(ElfException.class, () -> ElfImage.parse(new byte[] {0x7f, 'E', 'L', 'F'}));
        assertThrows(ElfException.class, () -> ElfImage.parse("hello".getBytes()));
    }

    @Test
    void rejectsMemszSmallerThanFileszAndHugeOffsets() {
        byte[] d = minimal();
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 40, 4);
        assertThrows(ElfException.class, () -> ElfImage.parse(d));
        byte[] h = minimal();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(64 + 8, Long.MAX_VALUE - 2);
        assertThrows(ElfException.class, () -> ElfImage.parse(h));
    }
}
