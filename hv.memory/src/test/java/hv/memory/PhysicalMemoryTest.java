package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import hv.api.device.MmioHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhysicalMemoryTest {
    static final long BASE = GuestRam.DEFAULT_BASE;

    /** Records accesses; reads return offset * 16 + size. */
    static final class Recorder implements MmioHandler {
        final List<String> log = new ArrayList<>();

        @Override
        public long read(long offset, int size) {
            log.add("r" + offset + "/" + size);
            return offset * 16 + size;
        }

        @Override
        public void write(long offset, int size, long value) {
            log.add("w" + offset + "/" + size + "=" + value);
        }
    }

    @Test
    void routesRamMmioAndHoles() {
        PhysicalMemory pm = new PhysicalMemory(GuestRam.allocate(BASE, 16L << 20));
        Recorder uart = new Recorder();
        pm.mapMmio("uart", 0x1000_0000L, 0x100, uart);
        MemoryFault f = new MemoryFault();
        pm.write(BASE + 8, 8, 0x1234_5678_9ABC_DEF0L, f);
        assertEquals(0x9ABC_DEF0L, pm.read(BASE + 8, 4, AccessType.LOAD, f));
        assertEquals(0x1234_5678_9ABC_DEF0L, pm.read(BASE + 8, 8, AccessType.LOAD, f));
        assertEquals(5 * 16 + 1, pm.read(0x1000_0005L, 1, AccessType.LOAD, f));
        pm.write(0x1000_0004L, 4, 77, f);
        assertEquals(List.of("r5/1", "w4/4=77"), uart.log);
        assertEquals(1, pm.mmioRegions().get(0).reads());
        assertEquals(1, pm.mmioRegions().get(0).writes());

        MemoryFault hole = assertThrows(MemoryFault.class, () -> pm.read(0x2000_0000L, 4, AccessType.LOAD, f));
        assertSame(f, hole);
        assertEquals(MemoryFault.LOAD_ACCESS_FAULT, f.cause());
        assertEquals(0x2000_0000L, f.tval());
        assertThrows(MemoryFault.class, () -> pm.read(0x1000_00FEL, 4, AccessType.LOAD, f)); // crosses the window end
        assertThrows(MemoryFault.class, () -> pm.read(0x1000_0002L, 4, AccessType.LOAD, f)); // misaligned MMIO
        assertEquals(MemoryFault.LOAD_ACCESS_FAULT, f.cause());
        assertThrows(MemoryFault.class, () -> pm.write(BASE + pm.ram().size() - 4, 8, 0, f)); // RAM end
        assertEquals(MemoryFault.STORE_ACCESS_FAULT, f.cause());
        assertThrows(MemoryFault.class, () -> pm.read(0x1000_0000L - 1, 1, AccessType.FETCH, f));
        assertEquals(MemoryFault.INSTRUCTION_ACCESS_FAULT, f.cause());
        assertEquals(5, pm.holeAccesses());
    }

    @Test
    void aThrowingDeviceCannotCrashTheVmm() {
        PhysicalMemory pm = new PhysicalMemory(GuestRam.allocate(BASE, 16L << 20));
        pm.mapMmio("buggy", 0x1000, 0x100, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void write(long offset, int size, long value) {
                throw new IllegalStateException("bug");
            }
        });
        MemoryFault f = new MemoryFault();
        assertEquals(0, pm.read(0x1000, 4, AccessType.LOAD, f));
        pm.write(0x1000, 4, 1, f);
        assertEquals(2, pm.mmioRegions().get(0).failures());
    }

    @Test
    void refusesOverlappingWindows() {
        PhysicalMemory pm = new PhysicalMemory(GuestRam.allocate(BASE, 16L << 20));
        pm.mapMmio("a", 0x1000, 0x1000, new Recorder());
        var e = assertThrows(IllegalArgumentException.class, () -> pm.mapMmio("b", 0x1800, 0x1000, new Recorder()));
        assertTrue(e.getMessage().contains("overlaps a"), e.getMessage());
        var r = assertThrows(IllegalArgumentException.class, () -> pm.mapMmio("c", BASE - 0x100, 0x1000, new Recorder()));
        assertTrue(r.getMessage().contains("RAM"), r.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pm.mapMmio("d", 0x5000, 0, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> pm.mapMmio("e", Long.MAX_VALUE - 10, 0x1000, new Recorder()));
        pm.mapMmio("f", 0x2000, 0x1000, new Recorder()); // adjacent is fine
        pm.mapMmio("g", 0x0, 0x1000, new Recorder());
        assertEquals(List.of("g", "a", "f"), pm.mmioRegions().stream().map(PhysicalMemory.MmioRegion::name).toList());
        assertNotNull(pm.findMmio(0x2FFF, 1));
        assertNull(pm.findMmio(0x3000, 1));
    }
}
