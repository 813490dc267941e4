package hv.memory;

import static hv.memory.GuestPageTables.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DirtyLogTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    static final long DATA = BASE + 0x10_0000;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final Mmu mmu = new Mmu(pm, 0);
    final DirtyLog log = ram.dirtyLog();

    static boolean has(long[] bits, long page) {
        return (bits[(int) (page >>> 6)] & (1L << page)) != 0;
    }

    static long page(long pa) {
        return (pa - BASE) >>> 12;
    }

    @Test
    void offUntilStartedAndAfterStopped() {
        assertFalse(log.enabled());
        mmu.store64(DATA, 1);
        assertEquals(0, DirtyLog.count(log.readAndClear()));
        mmu.requestFlush();
        mmu.pollFlush();
        mmu.store64(DATA + 0x3000, 1); // still in the store TLB when logging starts
        log.start(false);
        mmu.pollFlush();
        long[] bits = log.readAndClear();
        assertFalse(has(bits, page(DATA)), "pages written before start are not reported");
        assertTrue(has(bits, page(DATA + 0x3000)), "a page the store TLB still mapped at start is, conservatively");
        assertEquals(1, DirtyLog.count(bits));
        log.stop();
        mmu.store64(DATA + 0x1000, 1);
        assertEquals(0, DirtyLog.count(log.readAndClear()));
    }

    @Test
    void startAllDirtyReportsEveryPageOnce() {
        log.start(true);
        long[] first = log.readAndClear();
        assertEquals(log.pages(), DirtyLog.count(first));
        mmu.pollFlush();
        assertEquals(0, DirtyLog.count(log.readAndClear()));
    }

    @Test
    void storesThroughTheTlbAreReportedAfterTheHartFlushes() {
        log.start(false);
        mmu.pollFlush();
        mmu.store64(DATA, 1);            // slow path: marked, then in the store TLB
        mmu.store64(DATA + 0x2000, 1);
        long[] r1 = log.readAndClear();
        assertEquals(2, DirtyLog.count(r1));
        assertTrue(has(r1, page(DATA)) && has(r1, page(DATA + 0x2000)));
        long misses = mmu.stats().tlbMisses;
        mmu.store64(DATA + 8, 2);        // the hart has not polled: a TLB hit, not marked yet
        assertEquals(misses, mmu.stats().tlbMisses);
        mmu.pollFlush();                 // the flush marks what the store TLB mapped
        long[] r2 = log.readAndClear();
        assertTrue(has(r2, page(DATA)), "the store through the stale entry is reported");
        mmu.pollFlush();
        assertEquals(0, DirtyLog.count(log.readAndClear()), "nothing written since");
        mmu.store8(DATA + 0x5000, 1);    // and after the flush, stores take the slow path again
        assertTrue(has(log.readAndClear(), page(DATA + 0x5000)));
    }

    @Test
    void atomicsLoadersDmaAndAccessedBitsMarkPages() throws Exception {
        GuestPageTables pt = new GuestPageTables(ram, 8, BASE + 0x80_0000, 0x4_0000);
        long slot = pt.map(0x1000, DATA + 0x7000, R | W);
        log.start(false);
        mmu.pollFlush();
        long off = mmu.translateAtomic(DATA + 0x3000, 8, false);
        ram.getAndAddLong(off, 1);
        assertFalse(has(log.readAndClear(), page(DATA + 0x4000)));
        ram.write(DATA + 0x4000, new byte[] {1});
        pm.dmaView().writeU32(DATA + 0x6000, 1);
        mmu.writeSatp(pt.satp(1));
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
        mmu.load64(0x1000);               // the walker sets A: the page-table page is written
        long[] bits = log.readAndClear();
        assertTrue(has(bits, page(DATA + 0x3000)), "AMO page (marked again at the flush)");
        assertTrue(has(bits, page(DATA + 0x4000)), "loader write");
        assertTrue(has(bits, page(DATA + 0x6000)), "DMA write");
        assertTrue(has(bits, page(slot)), "A/D update of a PTE");
        assertFalse(has(bits, page(DATA + 0x7000)), "a load does not dirty the page it reads");
    }
}
