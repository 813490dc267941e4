package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DmaViewTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final GuestMemory dma = pm.dmaView();
    final long end = BASE + ram.size();

    @Test
    void readsAndWritesInsideRam() throws Exception {
        dma.writeU64(BASE + 16, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, dma.readU64(BASE + 16));
        assertEquals(0x05060708, dma.readU32(BASE + 16));
        assertEquals((short) 0x0708, dma.readU16(BASE + 16));
        assertEquals((byte) 0x08, dma.readU8(BASE + 16));
        dma.writeU8(end - 1, (byte) 7);
        assertEquals(7, ram.getByte(ram.size() - 1));
        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7});
        dma.write(end - 3, src);
        assertEquals(0, src.remaining());
        ByteBuffer dst = ByteBuffer.allocate(3);
        dma.read(end - 3, dst);
        assertArrayEquals(new byte[] {9, 8, 7}, dst.array());
        assertTrue(dma.isRam(BASE, ram.size()));
        assertEquals(3, dma.sliceForRead(end - 3, 3).byteSize());
        assertThrows(IllegalArgumentException.class,
                () -> dma.sliceForRead(BASE, 8).set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1));
    }

    @Test
    void refusesOutsideRam() {
        assertRefused(() -> dma.readU32(BASE - 4), BASE - 4, 4);
        assertRefused(() -> dma.readU8(end), end, 1);
        assertRefused(() -> dma.writeU64(end - 4, 1), end - 4, 8);
        assertRefused(() -> dma.writeU16(0, (short) 1), 0, 2);
        assertRefused(() -> dma.readU64(0x1000_0000L), 0x1000_0000L, 8);
        assertFalse(dma.isRam(BASE - 1, 2));
    }

    @Test
    void refusesWrapAroundAndTooLong() {
        assertRefused(() -> dma.readU64(-4), -4, 8);
        assertRefused(() -> dma.writeU32(Long.MAX_VALUE - 1, 0), Long.MAX_VALUE - 1, 4);
        assertRefused(() -> dma.sliceForRead(BASE + 4096, Long.MAX_VALUE), BASE + 4096, Long.MAX_VALUE);
        assertRefused(() -> dma.sliceForWrite(BASE + 4096, -1), BASE + 4096, -1);
        assertRefused(() -> dma.sliceForWrite(BASE, ram.size() + 1), BASE, ram.size() + 1);
        assertRefused(() -> dma.sliceForRead(-4096, 8192), -4096, 8192);
        ByteBuffer big = ByteBuffer.allocate(4096);
        assertRefused(() -> dma.read(end - 100, big), end - 100, 4096);
        assertEquals(4096, big.remaining(), "a refused read must not consume the buffer");
        assertFalse(dma.isRam(BASE, -1));
        assertFalse(dma.isRam(Long.MIN_VALUE, 16));
        assertFalse(dma.isRam(BASE + 8, Long.MAX_VALUE));
    }

    @Test
    void writesMarkPagesDirty() throws Exception {
        DirtyLog log = ram.dirtyLog();
        log.start(false);
        dma.writeU32(BASE + 5 * 4096 + 8, 1);
        dma.write(BASE + 9 * 4096 - 2, ByteBuffer.allocate(4));
        dma.sliceForWrite(BASE + 20 * 4096, 2 * 4096);
        assertEquals(0, dma.readU32(BASE + 30 * 4096)); // reads do not mark
        // no MMU is registered, so nothing is held back by the flush handshake
        long[] bits = log.readAndClear();
        assertEquals(5, DirtyLog.count(bits));
        for (long p : new long[] {5, 8, 9, 20, 21}) {
            assertTrue((bits[(int) (p >>> 6)] & (1L << p)) != 0, "page " + p);
        }
        assertEquals(0, DirtyLog.count(log.readAndClear()));
    }

    interface Access {
        void run() throws GuestMemoryException;
    }

    private static void assertRefused(Access a, long address, long length) {
        GuestMemoryException e = assertThrows(GuestMemoryException.class, a::run);
        assertEquals(address, e.address());
        assertEquals(length, e.length());
    }
}
