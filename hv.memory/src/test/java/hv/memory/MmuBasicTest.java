package hv.memory;

import static hv.memory.GuestPageTables.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Bare mode, a simple Sv39 mapping, MMIO through the MMU, misaligned accesses. */
class MmuBasicTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final Mmu mmu = new Mmu(pm, 0);

    @Test
    void bareModeIsPhysical() {
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        mmu.store64(BASE + 0x100, 0x8877665544332211L);
        assertEquals(0x8877665544332211L, mmu.load64(BASE + 0x100));
        assertEquals(0x44332211L, mmu.load32(BASE + 0x100));
        assertEquals(0x2211L, mmu.load16(BASE + 0x100));
        assertEquals(0x11L, mmu.load8(BASE + 0x100));
        assertEquals(0x88L, mmu.load8(BASE + 0x107));
        mmu.store8(BASE + 0x107, 0xFF);
        mmu.store16(BASE + 0x104, 0xABCD);
        mmu.store32(BASE + 0x110, 0xDEADBEEFL);
        assertEquals(0xFF77ABCD44332211L, mmu.load64(BASE + 0x100));
        assertEquals(0xDEADBEEFL, mmu.load32(BASE + 0x110));
        assertEquals(0x100, mmu.fetchOffset(BASE + 0x100));
        // hole
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.load32(0x4000));
        assertEquals(MemoryFault.LOAD_ACCESS_FAULT, f.cause());
        assertEquals(0x4000, f.tval());
        f = assertThrows(MemoryFault.class, () -> mmu.store8(BASE + ram.size(), 1));
        assertEquals(MemoryFault.STORE_ACCESS_FAULT, f.cause());
        f = assertThrows(MemoryFault.class, () -> mmu.fetchOffset(0x1000));
        assertEquals(MemoryFault.INSTRUCTION_ACCESS_FAULT, f.cause());
        assertEquals(0x1000, f.tval());
    }

    @Test
    void misalignedAccessesAreDoneInPlace() {
        mmu.store64(BASE + 0xFFD, 0x0807060504030201L); // straddles a page
        assertEquals(0x0807060504030201L, mmu.load64(BASE + 0xFFD));
        assertEquals(0x01, ram.getByte(0xFFD));
        assertEquals(0x04, ram.getByte(0x1000));
        assertEquals(0x05040302L, mmu.load32(BASE + 0xFFE));
        mmu.store16(BASE + 0x201, 0xBEEF);
        assertEquals(0xBEEFL, mmu.load16(BASE + 0x201));
        mmu.store32(BASE + 0x303, 0x12345678L);
        assertEquals(0x12345678L, mmu.load32(BASE + 0x303));
        // straddling the end of RAM: nothing is written
        long last = BASE + ram.size() - 4;
        mmu.store32(last, 0x11223344L);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.store64(last, -1L));
        assertEquals(MemoryFault.STORE_ACCESS_FAULT, f.cause());
        assertEquals(BASE + ram.size(), f.tval());
        assertEquals(0x11223344L, mmu.load32(last));
    }

    @Test
    void atomicsCheckAlignment() {
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.translateAtomic(BASE + 4, 8, false));
        assertEquals(MemoryFault.STORE_MISALIGNED, f.cause());
        assertEquals(BASE + 4, f.tval());
        f = assertThrows(MemoryFault.class, () -> mmu.translateAtomic(BASE + 2, 4, true));
        assertEquals(MemoryFault.LOAD_MISALIGNED, f.cause());
        assertEquals(8, mmu.translateAtomic(BASE + 8, 8, false));
        assertEquals(8, mmu.translateAtomic(BASE + 8, 4, true));
        f = assertThrows(MemoryFault.class, () -> mmu.translateAtomic(0x1000, 4, false));
        assertEquals(MemoryFault.STORE_ACCESS_FAULT, f.cause());
    }

    @Test
    void mmioThroughTheMmu() {
        PhysicalMemoryTest.Recorder dev = new PhysicalMemoryTest.Recorder();
        pm.mapMmio("dev", 0x1000_0000L, 0x1000, dev);
        assertEquals(0x10 * 16 + 4, mmu.load32(0x1000_0010L));
        mmu.store8(0x1000_0001L, 0x41);
        assertEquals(0x10 * 16 + 4, mmu.load32(0x1000_0010L)); // never cached in the TLB
        assertEquals(3, dev.log.size());
        assertEquals(3, mmu.stats().mmioAccesses);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.load32(0x1000_0002L));
        assertEquals(MemoryFault.LOAD_ACCESS_FAULT, f.cause());
    }

    @Test
    void sv39SimpleMapping() {
        GuestPageTables pt = new GuestPageTables(ram, 8, BASE + 0x80_0000, 0x10_0000);
        pt.map(0x4000_0000L, BASE + 0x10_0000, R | W | X | A | D);
        pt.map(0x4000_1000L, BASE + 0x20_0000, R | A);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
        mmu.store64(0x4000_0008L, 42);
        assertEquals(42, ram.getLong(0x10_0008));
        assertEquals(42, mmu.load64(0x4000_0008L));
        assertEquals(0x10_0000, mmu.fetchOffset(0x4000_0000L));
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.store32(0x4000_1010L, 1));
        assertEquals(MemoryFault.STORE_PAGE_FAULT, f.cause());
        assertEquals(0x4000_1010L, f.tval());
        f = assertThrows(MemoryFault.class, () -> mmu.load8(0x4000_2000L));
        assertEquals(MemoryFault.LOAD_PAGE_FAULT, f.cause());
        // M-mode ignores satp
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        assertEquals(42, mmu.load64(BASE + 0x10_0008));
    }
}
