package hv.memory;

import static hv.memory.GuestPageTables.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Shadow page tables: reuse across satp switches, write-protect coherence, precise fences, reclamation. */
class ShadowCoherenceTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    static final long DATA = BASE + 0x10_0000;
    static final long PT_AREA = BASE + 0x80_0000;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final Mmu mmu = new Mmu(pm, 0);

    GuestPageTables pt(long area) {
        return new GuestPageTables(ram, 8, area, 0x4_0000);
    }

    void s(Mmu m) {
        m.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
    }

    void m(Mmu m) {
        m.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
    }

    /** Data page i holds the value 1000 + i in its first word, so a load tells which page is mapped. */
    long page(int i) {
        long pa = DATA + i * 4096L;
        ram.putLong(pa - BASE, 1000 + i);
        return pa;
    }

    @Test
    void satpSwitchKeepsTheShadowsOfBothSpaces() {
        GuestPageTables a = pt(PT_AREA), b = pt(PT_AREA + 0x4_0000);
        for (int i = 0; i < 8; i++) {
            a.map(0x1000L * (i + 1), page(i), R | W | A | D);
            b.map(0x1000L * (i + 1), page(i + 8), R | W | A | D);
        }
        s(mmu);
        for (int round = 0; round < 3; round++) {
            assertTrue(mmu.writeSatp(a.satp(1)));
            for (int i = 0; i < 8; i++) {
                assertEquals(1000 + i, mmu.load64(0x1000L * (i + 1)));
            }
            assertTrue(mmu.writeSatp(b.satp(2)));
            for (int i = 0; i < 8; i++) {
                assertEquals(1008 + i, mmu.load64(0x1000L * (i + 1)));
            }
        }
        assertEquals(16, mmu.stats().shadowFills, "each page walked once");
        assertEquals(32, mmu.stats().shadowHits, "later rounds refill the TLB from the shadows");
        assertEquals(2, mmu.shadowSpaces());
        assertEquals(16, mmu.shadowEntries());
    }

    @Test
    void guestStoreIntoItsPageTableNeedsNoFence() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        // The kernel maps its own page tables (as Linux's linear map does).
        long leafTable = slot & ~0xFFFL;
        pt.map(0x40_0000, leafTable, R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        assertTrue(pm.pageTables().isTracked((leafTable - BASE) >>> 12));
        // Remap 0x1000 to page 1 with a plain guest store; no sfence.
        mmu.store64(0x40_0000 + (slot & 0xFFF), pte(page(1), R | W | A | D | V));
        assertEquals(1001, mmu.load64(0x1000));
        assertTrue(mmu.stats().pageTableWriteInvalidations > 0);
        // Unmap it: the next access faults.
        mmu.store32(0x40_0000 + (slot & 0xFFF), 0);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.load64(0x1000));
        assertEquals(MemoryFault.LOAD_PAGE_FAULT, f.cause());
    }

    @Test
    void aStoreIntoAnUnrelatedSlotOfAPageTableKeepsTheShadow() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        mmu.load64(0x1000);
        m(mmu);
        mmu.store64(slot + 8 * 100, pte(page(3), R | V)); // fills an invalid entry: nothing to invalidate
        mmu.store64(slot, pt.readPte(slot) | A | D);        // sets bits that are already set
        s(mmu);
        long fills = mmu.stats().shadowFills;
        assertEquals(1000, mmu.load64(0x1000));
        assertEquals(fills, mmu.stats().shadowFills);
        assertEquals(0, mmu.stats().pageTableWriteInvalidations);
    }

    @Test
    void settingAccessedOrDirtyInAPointerMakesItReservedAtOnce() {
        GuestPageTables pt = pt(PT_AREA);
        pt.map(0x1000, page(0), R | W | A | D);
        long pointerSlot = pt.slot(0x1000, 1); // the level-1 pointer to the leaf table
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        m(mmu);
        mmu.store8(pointerSlot, pt.readPte(pointerSlot) | D); // a byte store: only D changes
        s(mmu);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.load64(0x1000));
        assertEquals(MemoryFault.LOAD_PAGE_FAULT, f.cause());
    }

    @Test
    void anotherHartsStoreIsSeenAtTheNextPoll() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        Mmu hart1 = new Mmu(pm, 1);
        m(hart1);
        hart1.store64(slot, pte(page(2), R | W | A | D | V));
        mmu.pollFlush();
        assertEquals(1002, mmu.load64(0x1000));
        assertTrue(mmu.stats().messages > 0);
    }

    @Test
    void aStaleStoreTlbEntryOnAnotherHartIsReported() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        Mmu hart1 = new Mmu(pm, 1);
        m(hart1);
        // Hart 1 writes the page while it is still plain data: its store TLB now maps it.
        hart1.store64(slot + 8, 0);
        // Hart 0 walks through it: it becomes a tracked page table.
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        // Hart 1 writes through its stale TLB entry before reaching a block boundary...
        hart1.store64(slot, pte(page(5), R | W | A | D | V));
        hart1.pollFlush(); // ...then polls: it drops the entry and reports that it may have written
        mmu.pollFlush();
        assertEquals(1005, mmu.load64(0x1000));
    }

    @Test
    void dmaIntoAPageTableIsSeenAtTheNextPoll() throws Exception {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        pm.dmaView().writeU64(slot, pte(page(4), R | W | A | D | V));
        mmu.pollFlush();
        assertEquals(1004, mmu.load64(0x1000));
    }

    @Test
    void anAmoOnAPageTableEntryIsSeenWithoutFence() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        mmu.store64(0x1008, 1);
        // amoand clearing W (as Linux's ptep_set_wrprotect does), from M-mode physical
        m(mmu);
        long off = mmu.translateAtomic(slot, 8, false);
        ram.getAndBitwiseAndLong(off, ~W);
        s(mmu);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.store64(0x1008, 2));
        assertEquals(MemoryFault.STORE_PAGE_FAULT, f.cause());
        assertEquals(1, mmu.load64(0x1008));
    }

    @Test
    void aPageTablePageReusedAsDataStopsBeingTracked() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        long table = slot & ~0xFFFL;
        long tablePage = (table - BASE) >>> 12;
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        mmu.load64(0x1000);
        assertTrue(pm.pageTables().isTracked(tablePage));
        m(mmu);
        // The guest frees the table and zeroes it as a data page (memset): after a burst of stores
        // with no walk through it, it is untracked and stores go back to the TLB fast path.
        for (int i = 0; i < 512; i++) {
            mmu.store64(table + 8 * i, 0);
        }
        assertFalse(pm.pageTables().isTracked(tablePage));
        assertEquals(1, mmu.stats().floodUntracks);
        long misses = mmu.stats().tlbMisses;
        mmu.store64(table + 16, 0);
        assertEquals(misses, mmu.stats().tlbMisses, "fast path again");
        // The guest reuses it as a page table at once (no fence): the translation must follow.
        mmu.store64(slot, pte(page(6), R | W | A | D | V));
        s(mmu);
        assertEquals(1006, mmu.load64(0x1000));
        assertTrue(pm.pageTables().isTracked(tablePage));
        m(mmu);
        mmu.store64(slot, pte(page(7), R | W | A | D | V));
        s(mmu);
        assertEquals(1007, mmu.load64(0x1000));
    }

    @Test
    void sfenceByAddressAndByAsidArePrecise() {
        // Two address spaces share a leaf table (like the kernel half of every Linux process).
        GuestPageTables a = pt(PT_AREA), b = pt(PT_AREA + 0x4_0000);
        long slot1 = a.map(0x1000, page(0), R | W | A | D);
        long slot2 = a.map(0x2000, page(1), R | W | A | D);
        long sharedL1 = a.readPte(a.slot(0x1000, 2));
        b.writePte(b.slot(0x1000, 2), sharedL1);
        s(mmu);
        assertTrue(mmu.writeSatp(a.satp(1)));
        assertEquals(1000, mmu.load64(0x1000));
        assertEquals(1001, mmu.load64(0x2000));
        assertTrue(mmu.writeSatp(b.satp(2)));
        assertEquals(1000, mmu.load64(0x1000));
        assertEquals(1001, mmu.load64(0x2000));
        // Edit both entries behind the MMU's back (untracked, like a buggy host): only fences help.
        ram.putLong(slot1 - BASE, pte(page(2), R | W | A | D | V));
        ram.putLong(slot2 - BASE, pte(page(3), R | W | A | D | V));
        mmu.sfence(0x1000, false, 2, false); // current space (ASID 2), one address
        assertEquals(1002, mmu.load64(0x1000));
        assertEquals(1001, mmu.load64(0x2000), "other addresses keep their (stale) translation");
        assertTrue(mmu.writeSatp(a.satp(1)));
        assertEquals(1000, mmu.load64(0x1000), "other ASIDs keep their (stale) translation");
        mmu.sfence(0, true, 1, false);       // all of ASID 1
        assertEquals(1002, mmu.load64(0x1000));
        assertEquals(1003, mmu.load64(0x2000));
        assertTrue(mmu.writeSatp(b.satp(2)));
        assertEquals(1001, mmu.load64(0x2000), "ASID 2 still not fenced for 0x2000");
        mmu.sfence(0x2000, false, 0, true);  // that address in every ASID
        assertEquals(1003, mmu.load64(0x2000));
    }

    @Test
    void sfenceByAddressDropsTheWholeSuperpage() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x20_0000, BASE + 0x20_0000, 1, R | W | A | D);
        ram.putLong(0x20_0000, 1);
        ram.putLong(0x20_5000, 2);
        ram.putLong(0x40_0000, 3);
        ram.putLong(0x40_5000, 4);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1, mmu.load64(0x20_0000));
        assertEquals(2, mmu.load64(0x20_5000));
        ram.putLong(slot - BASE, pte(BASE + 0x40_0000, R | W | A | D | V)); // untracked edit
        mmu.sfence(0x20_0000, false, 1, false); // fence one address of the superpage
        assertEquals(3, mmu.load64(0x20_0000));
        assertEquals(4, mmu.load64(0x20_5000), "the other 4K pieces of the superpage are gone too");
    }

    @Test
    void deadAddressSpacesAreReclaimed() {
        // 100 processes, each with its own root sharing the leaf tables, each run once.
        GuestPageTables shared = pt(PT_AREA);
        shared.map(0x1000, page(0), R | W | A | D);
        long sharedL1 = shared.readPte(shared.slot(0x1000, 2));
        s(mmu);
        long firstRootPage = -1;
        for (int p = 0; p < 100; p++) {
            long root = PT_AREA + 0x10_0000 + p * 4096L;
            ram.putLong(root - BASE, sharedL1);
            if (p == 0) {
                firstRootPage = (root - BASE) >>> 12;
            }
            assertTrue(mmu.writeSatp((8L << 60) | ((long) (p + 1) << 44) | (root >>> 12)));
            assertEquals(1000, mmu.load64(0x1000));
        }
        assertEquals(ShadowTables.MAX_SPACES, mmu.shadowSpaces());
        assertEquals(100 - ShadowTables.MAX_SPACES, mmu.stats().spacesReclaimed);
        assertFalse(pm.pageTables().isTracked(firstRootPage), "the root of a reclaimed space is released");
        long sharedTable = (shared.readPte(shared.slot(0x1000, 2)) >>> 10 << 12) - BASE >>> 12;
        assertEquals(1, pm.pageTables().count(sharedTable), "shared tables stay tracked while any space uses them");
    }

    @Test
    void resetForgetsEverythingAndLoaderWritesReachTheShadows() {
        GuestPageTables pt = pt(PT_AREA);
        long slot = pt.map(0x1000, page(0), R | W | A | D);
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        assertEquals(1000, mmu.load64(0x1000));
        // a loader (re)writes the page table behind the harts: the next poll drops what was built from it
        byte[] entry = new byte[8];
        java.nio.ByteBuffer.wrap(entry).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(pte(page(1), R | W | A | D | V));
        ram.write(slot, entry);
        mmu.pollFlush();
        assertEquals(1001, mmu.load64(0x1000));
        long tablePage = (slot - BASE) >>> 12;
        assertTrue(pm.pageTables().isTracked(tablePage));
        mmu.reset();
        assertEquals(0, mmu.satp());
        assertEquals(0, mmu.shadowSpaces());
        assertFalse(pm.pageTables().isTracked(tablePage));
        assertEquals(1001, mmu.load64(DATA + 0x1000), "after reset: M-mode, physical addresses");
    }

    @Test
    void shadowMemoryIsBounded() {
        GuestPageTables pt = pt(PT_AREA);
        // 1024 pages mapped in each of 4 spaces would exceed nothing; map many pages instead.
        for (int i = 0; i < 2048; i++) {
            pt.map(0x100_0000L + i * 4096L, DATA + (i % 64) * 4096L, R | A);
        }
        assertTrue(mmu.writeSatp(pt.satp(1)));
        s(mmu);
        for (int i = 0; i < 2048; i++) {
            mmu.load8(0x100_0000L + i * 4096L);
        }
        assertEquals(2048, mmu.shadowEntries());
        assertTrue(mmu.shadowEntries() <= ShadowTables.MAX_ENTRIES_PER_SPACE);
    }
}
