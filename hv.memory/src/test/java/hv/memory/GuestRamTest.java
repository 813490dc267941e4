package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuestRamTest {
    private static final long BASE = GuestRam.DEFAULT_BASE;
    private GuestRam ram = GuestRam.allocate(BASE, 16L << 20);

    @AfterEach
    void close() {
        ram.close();
    }

    @Test
    void refusesBadSizesWithOneLineMessages() {
        var small = assertThrows(IllegalArgumentException.class, () -> GuestRam.allocate(BASE, 1024));
        assertTrue(small.getMessage().contains("minimum"), small.getMessage());
        var odd = assertThrows(IllegalArgumentException.class, () -> GuestRam.allocate(BASE, (16L << 20) + 100));
        assertTrue(odd.getMessage().contains("4 KiB"), odd.getMessage());
        var huge = assertThrows(IllegalArgumentException.class, () -> GuestRam.allocate(BASE, 1L << 50));
        assertTrue(huge.getMessage().contains("host"), huge.getMessage());
        var wrap = assertThrows(IllegalArgumentException.class, () -> GuestRam.allocate(-4096, 16L << 20));
        assertFalse(wrap.getMessage().contains("\n"));
        for (var e : new Exception[] {small, odd, huge}) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void littleEndianAndUnaligned() {
        ram.putLong(3, 0x1122334455667788L);
        assertEquals((byte) 0x88, ram.getByte(3));
        assertEquals((short) 0x7788, ram.getShort(3));
        assertEquals(0x55667788, ram.getInt(3));
        assertEquals(0x1122334455667788L, ram.getLong(3));
        assertEquals(0x11, ram.segment().get(ValueLayout.JAVA_BYTE, 10));
        ram.putShort(101, (short) 0xBEEF);
        assertEquals((byte) 0xEF, ram.getByte(101));
        ram.putInt(201, 0xCAFEBABE);
        assertEquals(0xCAFEBABEL, ram.segment().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 201) & 0xFFFFFFFFL);
    }

    @Test
    void containsIsOverflowSafe() {
        long size = ram.size();
        assertTrue(ram.contains(BASE, size));
        assertTrue(ram.contains(BASE + size - 8, 8));
        assertFalse(ram.contains(BASE + size - 8, 9));
        assertFalse(ram.contains(BASE - 1, 1));
        assertFalse(ram.contains(BASE + 8, Long.MAX_VALUE));
        assertFalse(ram.contains(BASE + 8, -1));
        assertFalse(ram.contains(-8, 16));
        assertFalse(ram.contains(Long.MAX_VALUE, 1));
        assertFalse(ram.contains(0, BASE + 16));
        assertEquals(-1, ram.offsetOf(BASE - 1));
        assertEquals(-1, ram.offsetOf(BASE + size));
        assertEquals(5, ram.offsetOf(BASE + 5));
    }

    @Test
    void atomicsWorkAcrossThreads() throws Exception {
        int threads = 4, perThread = 20_000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    ram.getAndAddLong(64, 1);
                    ram.getAndAddInt(128, 2);
                    long v;
                    do {
                        v = ram.getLongVolatile(256);
                    } while (ram.compareAndExchangeLong(256, v, v + 3) != v);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals((long) threads * perThread, ram.getLongVolatile(64));
        assertEquals(2 * threads * perThread, ram.getIntVolatile(128));
        assertEquals(3L * threads * perThread, ram.getLong(256));
        assertEquals(7, ram.getAndSetInt(512, 9) + 7);
        assertEquals(9, ram.compareAndExchangeInt(512, 9, 11));
        assertEquals(11, ram.getIntVolatile(512));
        assertEquals(11, ram.compareAndExchangeInt(512, 5, 12)); // fails: returns the witness
        assertEquals(11, ram.getIntVolatile(512));
        assertEquals(0, ram.getAndSetLong(1024, -1L));
        assertEquals(-1L, ram.getLong(1024));
    }

    @Test
    void ramAboveTwoGibWorksAndIsLazilyCommitted() {
        // Lazily committed: only the touched pages cost host memory, so this runs on small CI hosts too.
        GuestRam big = GuestRam.allocate(BASE, 3L << 30, false);
        try {
            long off = (5L << 29) + 12; // 2.5 GiB
            big.putLong(off, 0x0123456789ABCDEFL);
            assertEquals(0x0123456789ABCDEFL, big.getLong(off));
            assertEquals(0, big.getLong(big.size() - 8));
            assertEquals(0x0123456789ABCDEFL, big.getAndAddLong((5L << 29) + 64, 0x0123456789ABCDEFL) + big.getLong((5L << 29) + 64));
            assertTrue(big.backing().startsWith("mmap"), big.backing());
        } finally {
            big.close();
        }
    }

    @Test
    void loaderWriteAndReadAreBoundsChecked() {
        byte[] data = {1, 2, 3, 4, 5};
        ram.write(BASE + 4094, data);
        byte[] back = new byte[5];
        ram.read(BASE + 4094, back);
        assertArrayEquals(data, back);
        assertThrows(IllegalArgumentException.class, () -> ram.write(BASE + ram.size() - 2, data));
        assertThrows(IllegalArgumentException.class, () -> ram.read(BASE - 1, back));
    }
}
