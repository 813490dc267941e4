package hv.memory;

import static hv.memory.GuestPageTables.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per translation rule of the privileged spec (4.1.11 satp, 4.3-4.6 Sv39/48/57). */
class MmuTranslationTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    static final long DATA = BASE + 0x10_0000;   // 4K data pages from here
    static final long PT_AREA = BASE + 0x80_0000;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final Mmu mmu = new Mmu(pm, 0);

    GuestPageTables tables(int mode) {
        GuestPageTables pt = new GuestPageTables(ram, mode, PT_AREA, 0x40_0000);
        assertTrue(mmu.writeSatp(pt.satp(7)));
        supervisor();
        return pt;
    }

    void supervisor() {
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
    }

    static MemoryFault fault(int cause, long tval, Executable e) {
        MemoryFault f = assertThrows(MemoryFault.class, e);
        assertEquals(cause, f.cause(), () -> "cause for tval 0x" + Long.toHexString(f.tval()));
        assertEquals(tval, f.tval(), "tval");
        return f;
    }

    static void loadFault(Mmu mmu, long va) {
        fault(MemoryFault.LOAD_PAGE_FAULT, va, () -> mmu.load64(va));
    }

    static void storeFault(Mmu mmu, long va) {
        fault(MemoryFault.STORE_PAGE_FAULT, va, () -> mmu.store64(va, 1));
    }

    static void fetchFault(Mmu mmu, long va) {
        fault(MemoryFault.INSTRUCTION_PAGE_FAULT, va, () -> mmu.fetchOffset(va));
    }

    // ---------------------------------------------------------------- satp

    @Test
    void satpIsWarlAndLinuxProbingFindsTheDeepestMode() {
        long before = mmu.satp();
        for (int m : new int[] {1, 2, 7, 11, 12, 15}) {
            assertFalse(mmu.writeSatp(((long) m << 60) | 0x1234), "mode " + m);
            assertEquals(before, mmu.satp());
        }
        for (int max : new int[] {8, 9, 10}) {
            mmu.writeSatp(0);
            mmu.setMaxMode(max);
            // Linux (arch/riscv/mm/init.c) tries Sv57, then Sv48, then Sv39 and keeps what sticks.
            int chosen = 0;
            for (int m = 10; m >= 8 && chosen == 0; m--) {
                long v = ((long) m << 60) | (PT_AREA >>> 12);
                if (mmu.writeSatp(v) && mmu.satp() == v) {
                    chosen = m;
                }
            }
            assertEquals(max, chosen);
        }
        mmu.setMaxMode(0);
        assertFalse(mmu.writeSatp(8L << 60));
        assertTrue(mmu.writeSatp(0));
        assertThrows(IllegalArgumentException.class, () -> mmu.setMaxMode(5));
    }

    @Test
    void satpKeepsAsidAndPpn() {
        long v = (9L << 60) | (0xBEEFL << 44) | 0x12345L;
        assertTrue(mmu.writeSatp(v));
        assertEquals(v, mmu.satp());
    }

    // ---------------------------------------------------------------- modes and superpages

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10})
    void fourKibPagesInEveryMode(int mode) {
        GuestPageTables pt = tables(mode);
        long va = 0x12_3456_7000L & ((1L << (12 + 9 * (mode - 5) - 1)) - 1);
        pt.map(va, DATA, R | W | A | D);
        pt.map(-4096L, DATA + 0x1000, R | W | A | D); // the top page: a negative (canonical) address
        mmu.store64(va + 8, 0x55);
        assertEquals(0x55, ram.getLong(DATA + 8 - BASE));
        mmu.store32(-8L, 0x66);
        assertEquals(0x66, ram.getInt(DATA + 0x1000 + 0xFF8 - BASE));
        assertEquals(0x66, mmu.load32(-8L));
        // non-canonical: bit 63 set but bit VABITS-1 clear
        long nonCanonical = Long.MIN_VALUE | va;
        loadFault(mmu, nonCanonical);
        storeFault(mmu, nonCanonical);
        fetchFault(mmu, nonCanonical);
        // unmapped neighbour
        loadFault(mmu, va + 0x1000);
    }

    @Test
    void sv39Superpages() {
        GuestPageTables pt = tables(8);
        pt.map(0x4000_0000L, BASE, 2, R | W | X | A | D);              // 1 GiB → 0x8000_0000
        pt.map(0x20_0000L, BASE + 0x20_0000, 1, R | W | A | D);         // 2 MiB
        assertEquals(0x10_0040, mmu.fetchOffset(0x4010_0040L));
        mmu.store64(0x4000_1000L, 7);
        assertEquals(7, ram.getLong(0x1000));
        mmu.store64(0x20_0000L + 0x1F_FFF8L, 9);
        assertEquals(9, ram.getLong(0x3F_FFF8));
        assertEquals(9, mmu.load64(0x4000_0000L + 0x3F_FFF8L));
    }

    @Test
    void largestSuperpagesOfSv48AndSv57() {
        GuestPageTables pt48 = tables(9);
        // A 512 GiB leaf at level 3 mapping physical 0: va 0x80_0000_0000 + pa.
        pt48.map(0x80_0000_0000L, 0, 3, R | W | A | D);
        mmu.store64(0x80_0000_0000L + BASE + 0x40, 11);
        assertEquals(11, ram.getLong(0x40));
        fault(MemoryFault.LOAD_ACCESS_FAULT, 0x80_0000_1000L, () -> mmu.load64(0x80_0000_1000L)); // pa 0x1000: a hole
        GuestPageTables pt57 = new GuestPageTables(ram, 10, PT_AREA + 0x20_0000, 0x10_0000);
        assertTrue(mmu.writeSatp(pt57.satp(3)));
        pt57.map(0x1_0000_0000_0000L, 0, 4, R | A); // a 256 TiB leaf at level 4
        assertEquals(11, mmu.load64(0x1_0000_0000_0000L + BASE + 0x40));
    }

    @Test
    void misalignedSuperpageIsAPageFault() {
        GuestPageTables pt = tables(8);
        pt.map(0x20_0000L, BASE + 0x1000, 1, R | W | X | A | D); // 2 MiB leaf, PPN not 512-aligned
        pt.map(0x4000_0000L, BASE + 0x20_0000, 2, R | W | A | D); // 1 GiB leaf, PPN not 2^18-aligned
        loadFault(mmu, 0x20_0010L);
        storeFault(mmu, 0x20_0010L);
        fetchFault(mmu, 0x20_0010L);
        loadFault(mmu, 0x4000_0010L);
    }

    // ---------------------------------------------------------------- permissions

    @Test
    void readWriteExecutePermissions() {
        GuestPageTables pt = tables(8);
        long ro = 0x1000, rw = 0x2000, xo = 0x3000, rx = 0x4000;
        pt.map(ro, DATA, R | A | D);
        pt.map(rw, DATA + 0x1000, R | W | A | D);
        pt.map(xo, DATA + 0x2000, X | A | D);
        pt.map(rx, DATA + 0x3000, R | X | A | D);
        assertEquals(0, mmu.load64(ro));
        storeFault(mmu, ro);
        fetchFault(mmu, ro);
        mmu.store64(rw, 3);
        assertEquals(3, mmu.load64(rw));
        fetchFault(mmu, rw);
        loadFault(mmu, xo);           // execute-only: not readable...
        storeFault(mmu, xo);
        assertEquals(0x2000 + DATA - BASE, mmu.fetchOffset(xo));
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, true);
        assertEquals(0, mmu.load64(xo)); // ...unless MXR
        storeFault(mmu, xo);
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
        loadFault(mmu, xo);           // and not again once MXR is cleared (no stale TLB)
        assertEquals(0, mmu.load64(rx));
        assertEquals(0x3000 + DATA - BASE, mmu.fetchOffset(rx));
    }

    @Test
    void userPagesSumAndPrivilege() {
        GuestPageTables pt = tables(8);
        long user = 0x1000, kernel = 0x2000;
        pt.map(user, DATA, R | W | X | U | A | D);
        pt.map(kernel, DATA + 0x1000, R | W | X | A | D);
        // S-mode: user pages need SUM for data and are never executable
        loadFault(mmu, user);
        storeFault(mmu, user);
        fetchFault(mmu, user);
        mmu.setContext(Mmu.PRIV_S, Mmu.PRIV_S, true, false);
        mmu.store64(user, 5);
        assertEquals(5, mmu.load64(user));
        fetchFault(mmu, user);
        assertEquals(0, mmu.load64(kernel));
        // U-mode: only user pages, SUM irrelevant
        mmu.setContext(Mmu.PRIV_U, Mmu.PRIV_U, true, false);
        assertEquals(5, mmu.load64(user));
        assertEquals(DATA - BASE, mmu.fetchOffset(user));
        loadFault(mmu, kernel);
        storeFault(mmu, kernel);
        fetchFault(mmu, kernel);
        // back to S without SUM: the user page is refused again (no stale TLB across contexts)
        supervisor();
        loadFault(mmu, user);
        assertEquals(0, mmu.load64(kernel));
    }

    @Test
    void mprvTranslatesMModeDataButNotFetch() {
        GuestPageTables pt = tables(8);
        pt.map(0x1000, DATA, R | W | A | D);
        // M-mode with MPRV=1, MPP=S: loads and stores use S translation, fetch stays physical
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_S, false, false);
        mmu.store64(0x1008, 99);
        assertEquals(99, ram.getLong(DATA - BASE + 8));
        assertEquals(0x40, mmu.fetchOffset(BASE + 0x40));
        // MPP=U: the supervisor page is not accessible
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_U, false, false);
        loadFault(mmu, 0x1008);
        // MPRV=0: physical again
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        assertEquals(99, mmu.load64(DATA + 8));
    }

    // ---------------------------------------------------------------- malformed entries

    @Test
    void invalidReservedAndWriteOnlyEntriesArePageFaults() {
        GuestPageTables pt = tables(8);
        long va = 0x1000;
        long slot = pt.map(va, DATA, R | W | X | A | D);
        long good = pt.readPte(slot);
        assertEquals(0, mmu.load64(va));
        long[] bad = {
            good & ~V,                        // not valid
            (good & ~R) | W,                  // W without R
            (good & ~(R | X)) | W | X,        // W+X without R
            good | (1L << 54), good | (1L << 60), // reserved
            good | (1L << 61), good | (1L << 62), // PBMT (Svpbmt not implemented)
            good | (1L << 63),                // N (Svnapot not implemented)
        };
        for (long pte : bad) {
            pt.writePte(slot, pte);
            mmu.sfence(va, false, 0, true);
            loadFault(mmu, va);
            storeFault(mmu, va);
            fetchFault(mmu, va);
        }
        pt.writePte(slot, good);
        mmu.sfence(va, false, 0, true);
        assertEquals(0, mmu.load64(va));
    }

    @Test
    void malformedPointersArePageFaults() {
        GuestPageTables pt = tables(8);
        long va = 0x1000;
        pt.map(va, DATA, R | W | A | D);
        long l2 = pt.slot(va, 2);
        long pointer = pt.readPte(l2);
        for (long extra : new long[] {A, D, U}) {
            pt.writePte(l2, pointer | extra);
            mmu.sfence(0, true, 0, true);
            loadFault(mmu, va);
        }
        pt.writePte(l2, pointer);
        // A pointer at level 0 (nowhere further to go) is a page fault.
        long leafSlot = pt.slot(va, 0);
        pt.writePte(leafSlot, pte(PT_AREA, V));
        mmu.sfence(0, true, 0, true);
        loadFault(mmu, va);
    }

    @Test
    void pageTablesOutsideRamAreAccessFaults() {
        // root PPN points at a hole: the first PTE read is an access fault of the access's kind
        assertTrue(mmu.writeSatp((8L << 60) | (0x1000_0000L >>> 12)));
        supervisor();
        fault(MemoryFault.LOAD_ACCESS_FAULT, 0x5000, () -> mmu.load8(0x5000));
        fault(MemoryFault.STORE_ACCESS_FAULT, 0x5000, () -> mmu.store8(0x5000, 0));
        fault(MemoryFault.INSTRUCTION_ACCESS_FAULT, 0x5000, () -> mmu.fetchOffset(0x5000));
        // a leaf pointing at a hole translates but the access faults
        GuestPageTables pt = tables(8);
        pt.map(0x6000, 0x3000_0000L, R | W | X | A | D);
        fault(MemoryFault.LOAD_ACCESS_FAULT, 0x6008, () -> mmu.load64(0x6008));
        fault(MemoryFault.STORE_ACCESS_FAULT, 0x6008, () -> mmu.store64(0x6008, 0));
        fault(MemoryFault.INSTRUCTION_ACCESS_FAULT, 0x6008, () -> mmu.fetchOffset(0x6008));
    }

    // ---------------------------------------------------------------- A and D

    @Test
    void accessedAndDirtyAreSetByTheWalker() {
        GuestPageTables pt = tables(8);
        long s1 = pt.map(0x1000, DATA, R | W);
        long s2 = pt.map(0x2000, DATA + 0x1000, R | W);
        long s3 = pt.map(0x3000, DATA + 0x2000, R | X);
        mmu.load64(0x1000);
        assertEquals(A, pt.readPte(s1) & (A | D), "a load sets A only");
        mmu.store64(0x1000, 1);
        assertEquals(A | D, pt.readPte(s1) & (A | D), "a store after a load sets D");
        mmu.store8(0x2000, 1);
        assertEquals(A | D, pt.readPte(s2) & (A | D), "a first store sets A and D");
        mmu.fetchOffset(0x3000);
        assertEquals(A, pt.readPte(s3) & (A | D), "a fetch sets A");
        // a faulting access sets nothing
        long s4 = pt.map(0x4000, DATA + 0x3000, R);
        storeFault(mmu, 0x4000);
        assertEquals(0, pt.readPte(s4) & (A | D));
        // the guest clears A: the next access sets it again (write-protect tracking saw the change)
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        mmu.store64(s1, pt.readPte(s1) & ~(A | D));
        supervisor();
        mmu.load64(0x1000);
        assertEquals(A, pt.readPte(s1) & (A | D));
        mmu.store64(0x1000, 2);
        assertEquals(A | D, pt.readPte(s1) & (A | D));
    }

    @Test
    void atomicsUseLoadOrStorePermissionAndSetBits() {
        GuestPageTables pt = tables(8);
        long ro = pt.map(0x1000, DATA, R);
        long rw = pt.map(0x2000, DATA + 0x1000, R | W);
        assertEquals(DATA - BASE + 8, mmu.translateAtomic(0x1008, 8, true)); // LR on a read-only page
        assertEquals(A, pt.readPte(ro) & (A | D));
        fault(MemoryFault.STORE_PAGE_FAULT, 0x1008, () -> mmu.translateAtomic(0x1008, 8, false));
        assertEquals(DATA - BASE + 0x1004, mmu.translateAtomic(0x2004, 4, false));
        assertEquals(A | D, pt.readPte(rw) & (A | D));
        fault(MemoryFault.LOAD_PAGE_FAULT, 0x5000, () -> mmu.translateAtomic(0x5000, 8, true));
        fault(MemoryFault.STORE_MISALIGNED, 0x2002, () -> mmu.translateAtomic(0x2002, 4, false));
    }

    // ---------------------------------------------------------------- misaligned and fetch

    @Test
    void misalignedAccessStraddlingIntoAnUnmappedPageFaultsWithoutWriting() {
        GuestPageTables pt = tables(8);
        pt.map(0x1000, DATA, R | W | A | D);
        pt.map(0x2000, DATA + 0x1000, R | A | D); // read-only second page
        mmu.store32(0x1FFC, 0x11223344);
        fault(MemoryFault.STORE_PAGE_FAULT, 0x2000, () -> mmu.store64(0x1FFC, -1L));
        assertEquals(0x11223344, mmu.load32(0x1FFC));
        assertEquals(0x11223344L, mmu.load64(0x1FFC)); // loads straddle fine
        fault(MemoryFault.LOAD_PAGE_FAULT, 0x3000, () -> mmu.load64(0x2FFD));
        mmu.store16(0x1FFF - 0x800, 0xABCD);            // misaligned within a page
        assertEquals(0xABCD, mmu.load16(0x1FFF - 0x800));
    }

    @Test
    void fetchAcrossAPageBoundary() {
        GuestPageTables pt = tables(8);
        pt.map(0x1000, DATA + 0x5000, R | X | A);
        pt.map(0x2000, DATA + 0x2000, R | X | A);
        ram.putShort(DATA - BASE + 0x5FFE, (short) 0x1234);
        ram.putShort(DATA - BASE + 0x2000, (short) 0x5678);
        long lo = mmu.fetchOffset(0x1FFE);
        long hi = mmu.fetchOffset(0x2000); // the hart asks again for pc+2
        assertEquals(0x1234, ram.getShort(lo));
        assertEquals(0x5678, ram.getShort(hi));
        fetchFault(mmu, 0x3000);
    }

    @Test
    void contextSwitchesDoNotFlushTheTlb() {
        GuestPageTables pt = tables(8);
        pt.map(0x1000, DATA, R | W | U | A | D);
        pt.map(0x2000, DATA + 0x1000, R | W | A | D);
        mmu.setContext(Mmu.PRIV_U, Mmu.PRIV_U, false, false);
        mmu.load64(0x1000);
        supervisor();
        mmu.load64(0x2000);
        long misses = mmu.stats().tlbMisses;
        for (int i = 0; i < 10; i++) {
            mmu.setContext(Mmu.PRIV_U, Mmu.PRIV_U, false, false);
            mmu.load64(0x1000);
            supervisor();
            mmu.load64(0x2000);
        }
        assertEquals(misses, mmu.stats().tlbMisses);
    }
}
