package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random page tables, random accesses, random page-table edits (tracked guest stores on this hart
 * and another, AMOs, DMA, and untracked edits followed by a fence): the shadow MMU must agree with
 * {@link ReferenceWalk} on every access: the fault (cause and tval) or the physical location,
 * and the A/D bits it leaves behind. Seeds: 1..24 plus one fresh per run; -Dhv.mmu.seed=N reruns
 * one seed, -Dhv.mmu.seeds=N runs 1..N. A failure names its seed and shows the last operations.
 */
class MmuPropertyTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    static final long POOL = BASE + 0x80_0000;   // 64 page-table pages
    static final int POOL_PAGES = 64;
    static final long DATA = BASE + 0x40_0000;   // 64 data pages
    static final int[] INDICES = {0, 1, 2, 511};
    static final int OPS = 4000;

    @Test
    void shadowMmuAgreesWithTheReferenceWalk() {
        List<Long> seeds = new ArrayList<>();
        String fixed = System.getProperty("hv.mmu.seed");
        if (fixed != null) {
            seeds.add(Long.parseLong(fixed));
        } else {
            long count = Long.getLong("hv.mmu.seeds", 24); // -Dhv.mmu.seeds=N for a long run
            for (long s = 1; s <= count; s++) {
                seeds.add(s);
            }
            seeds.add(System.nanoTime());
        }
        MmuStats total = new MmuStats();
        for (long seed : seeds) {
            try {
                MmuStats st = new Run(seed).run();
                total.tlbMisses += st.tlbMisses;
                total.shadowMisses += st.shadowMisses;
                total.invalidations += st.invalidations;
                total.pageTableStores += st.pageTableStores;
                total.shadowHits += st.shadowHits;
                total.shadowFills += st.shadowFills;
                total.pageTableWriteInvalidations += st.pageTableWriteInvalidations;
                total.pageFaults += st.pageFaults;
                total.messages += st.messages;
            } catch (Throwable t) {
                throw new AssertionError("property failed with seed " + seed + " (rerun: -Dhv.mmu.seed=" + seed + "): " + t.getMessage(), t);
            }
        }
        System.err.println("property test totals: " + total);
        if (fixed != null) {
            return;
        }
        // The run must actually have exercised the interesting paths.
        assertTrue(total.shadowHits > 1000, "shadow hits " + total.shadowHits);
        assertTrue(total.shadowFills > 1000, "shadow fills " + total.shadowFills);
        assertTrue(total.pageTableWriteInvalidations > 50, "pt-write invalidations " + total.pageTableWriteInvalidations);
        assertTrue(total.pageFaults > 1000, "page faults " + total.pageFaults);
        assertTrue(total.messages > 10, "messages " + total.messages);
    }

    static final class Run {
        final long seed;
        final SplittableRandom rnd;
        final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
        final PhysicalMemory pm = new PhysicalMemory(ram);
        final Mmu mmu = new Mmu(pm, 0);
        final Mmu other = new Mmu(pm, 1);
        final ReferenceWalk ref = new ReferenceWalk(ram);
        final long[] satps = new long[3];
        long satp;
        int fetchPriv, dataPriv;
        boolean sum, mxr;
        int op;
        final int mode;

        Run(long seed) {
            this.seed = seed;
            this.rnd = new SplittableRandom(seed);
            this.mode = 8 + rnd.nextInt(3);
        }

        MmuStats run() {
            try {
                build();
                other.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
                for (int i = 0; i < satps.length; i++) {
                    satps[i] = ((long) mode << 60) | ((long) (i + 1) << 44) | ((POOL + i * 4096L) >>> 12);
                }
                switchSatp();
                randomContext();
                for (op = 0; op < OPS; op++) {
                    int r = rnd.nextInt(100);
                    if (r < 8) {
                        edit();
                    } else if (r < 11) {
                        switchSatp();
                    } else if (r < 16) {
                        randomContext();
                    } else if (r < 18) {
                        harmlessFence();
                    } else {
                        access();
                    }
                }
                return mmu.stats();
            } finally {
                mmu.close();
                other.close();
                ram.close();
            }
        }

        final java.util.ArrayDeque<String> history = new java.util.ArrayDeque<>();

        void note(String what) {
            if (history.size() == 40) {
                history.removeFirst();
            }
            history.addLast(op + ": " + what);
        }

        /** The entries a walk of va reads, level by level, for failure messages. */
        String walkDump(long va) {
            StringBuilder b = new StringBuilder();
            long table = (satp & ((1L << 44) - 1)) << 12;
            for (int i = levels - 1; i >= 0; i--) {
                long addr = table + (((va >>> (12 + 9 * i)) & 511) << 3);
                if (!ram.contains(addr, 8)) {
                    b.append(" L").append(i).append("@0x").append(Long.toHexString(addr)).append("=outside");
                    break;
                }
                long p = ram.getLong(addr - BASE);
                b.append(" L").append(i).append("@0x").append(Long.toHexString(addr)).append("=0x").append(Long.toHexString(p));
                if ((p & 1) == 0 || (p & 0xA) != 0) {
                    break;
                }
                table = ((p >>> 10) & ((1L << 44) - 1)) << 12;
            }
            return b.toString();
        }

        String where() {
            return "\n  walk:" + walkDump(lastVa) + "\n  history:\n    " + String.join("\n    ", history) + "\n  op " + op + " satp=0x" + Long.toHexString(satp) + " fetchPriv=" + fetchPriv + " dataPriv=" + dataPriv
                    + " sum=" + sum + " mxr=" + mxr;
        }

        /** The level each pool page is meant to serve at (pointers sometimes ignore it, for aliasing). */
        final int[] pageLevel = new int[POOL_PAGES];
        int levels;

        void build() {
            levels = mode - 5;
            for (int p = 0; p < POOL_PAGES; p++) {
                pageLevel[p] = p < 3 ? levels - 1 : rnd.nextInt(levels - 1);
            }
            for (int p = 0; p < POOL_PAGES; p++) {
                for (int idx : INDICES) {
                    ram.putLong(POOL + p * 4096L + idx * 8L - BASE, randomPte(pageLevel[p]));
                }
            }
            for (int p = 0; p < 64; p++) {
                for (int w = 0; w < 512; w += 7) {
                    ram.putLong(DATA + p * 4096L + w * 8L - BASE, rnd.nextLong());
                }
            }
        }

        /** A random entry for a table whose entries are at {@code level} (0 = 4 KiB leaves). */
        long randomPte(int level) {
            int r = rnd.nextInt(100);
            if (r < 6) {
                return rnd.nextLong() & ~1L; // invalid
            }
            if (level > 0 && r < 50) {
                int target;
                do {
                    target = rnd.nextInt(POOL_PAGES);
                } while (rnd.nextInt(10) != 0 && pageLevel[target] != level - 1);
                long ptr = ((POOL + target * 4096L) >>> 12) << 10 | 1;
                if (rnd.nextInt(40) == 0) {
                    ptr |= new long[] {16, 64, 128}[rnd.nextInt(3)]; // reserved U/A/D in a pointer
                }
                return ptr;
            }
            if (level == 0 && r < 9) {
                return ((POOL + rnd.nextInt(POOL_PAGES) * 4096L) >>> 12) << 10 | 1; // a pointer at level 0
            }
            long flags = 1;
            if (rnd.nextInt(10) != 0) {
                flags |= 2;                        // R
            }
            if (rnd.nextBoolean()) {
                flags |= 4;                        // W (W without R: reserved)
            }
            if (rnd.nextBoolean() || (flags & 6) == 0) {
                flags |= 8;                        // X
            }
            if (rnd.nextBoolean()) {
                flags |= 16;                       // U
            }
            flags |= (long) rnd.nextInt(8) << 5;  // G A D
            if (rnd.nextInt(40) == 0) {
                flags |= 1L << (54 + rnd.nextInt(10)); // reserved / PBMT / N
            }
            long pa;
            int t = rnd.nextInt(100);
            if (t < 8) {
                pa = BASE + 0x1000L * (1 + rnd.nextInt(511)); // misaligned for any superpage
            } else if (t < 14) {
                pa = 0x4000_0000L;                          // a hole, aligned up to 1 GiB
            } else if (level == 0) {
                pa = t < 70 ? DATA + rnd.nextInt(64) * 4096L
                        : POOL + rnd.nextInt(POOL_PAGES) * 4096L; // maps a page table: stores edit tables
            } else if (level == 1) {
                pa = BASE + rnd.nextInt(8) * 0x20_0000L;
            } else if (level == 2) {
                pa = BASE;
            } else {
                pa = 0; // 512 GiB / 256 TiB leaves: physical 0 up, RAM at +0x8000_0000
            }
            return ((pa >>> 12) << 10) | flags;
        }

        long randomVa() {
            long va = 0;
            for (int i = levels - 1; i >= 0; i--) {
                va |= (long) INDICES[rnd.nextInt(INDICES.length)] << (12 + 9 * i);
            }
            va |= rnd.nextInt(4096);
            int shift = 64 - (12 + 9 * levels);
            va = (va << shift) >> shift;
            if (rnd.nextInt(50) == 0) {
                va ^= 1L << (62 - rnd.nextInt(4)); // non-canonical
            }
            return va;
        }

        long lastVa;

        void switchSatp() {
            satp = satps[rnd.nextInt(satps.length)];
            note("satp 0x" + Long.toHexString(satp));
            assertTrue(mmu.writeSatp(satp));
        }

        void randomContext() {
            fetchPriv = new int[] {Mmu.PRIV_U, Mmu.PRIV_S, Mmu.PRIV_S, Mmu.PRIV_M}[rnd.nextInt(4)];
            dataPriv = fetchPriv == Mmu.PRIV_M ? new int[] {Mmu.PRIV_M, Mmu.PRIV_S, Mmu.PRIV_U}[rnd.nextInt(3)] : fetchPriv;
            sum = rnd.nextBoolean();
            mxr = rnd.nextInt(4) == 0;
            mmu.setContext(fetchPriv, dataPriv, sum, mxr);
            note("context fetch=" + fetchPriv + " data=" + dataPriv + " sum=" + sum + " mxr=" + mxr);
        }

        void harmlessFence() {
            note("fence");
            // Fences never change results (the shadows are coherent anyway); they only cost refills.
            switch (rnd.nextInt(4)) {
                case 0 -> mmu.sfence(randomVa(), false, 0, true);
                case 1 -> mmu.sfence(0, true, (int) (satp >>> 44) & 0xFFFF, false);
                case 2 -> mmu.sfence(randomVa(), false, 2, false);
                default -> mmu.requestFlush();
            }
        }

        /** Changes one page-table entry in one of five ways. */
        void edit() {
            int page = rnd.nextInt(POOL_PAGES);
            long pteAddr = POOL + page * 4096L + INDICES[rnd.nextInt(INDICES.length)] * 8L;
            long value = rnd.nextInt(3) == 0 ? ram.getLong(pteAddr - BASE) ^ (1L << rnd.nextInt(8)) : randomPte(pageLevel[page]);
            int how = rnd.nextInt(6);
            note("edit#" + how + " [0x" + Long.toHexString(pteAddr) + "] 0x" + Long.toHexString(ram.getLong(pteAddr - BASE))
                    + " -> 0x" + Long.toHexString(value));
            switch (how) {
                case 0 -> { // a guest store on this hart, no fence
                    mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
                    mmu.store64(pteAddr, value);
                    mmu.setContext(fetchPriv, dataPriv, sum, mxr);
                }
                case 1 -> { // a guest store as two 32-bit halves, no fence
                    mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
                    mmu.store32(pteAddr, value);
                    mmu.store32(pteAddr + 4, value >>> 32);
                    mmu.setContext(fetchPriv, dataPriv, sum, mxr);
                }
                case 2 -> { // another hart, no fence; it reaches a block boundary after the store
                    other.store64(pteAddr, value);
                    other.pollFlush();
                }
                case 3 -> { // an AMO on this hart (clears or sets bits), no fence
                    mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
                    long off = mmu.translateAtomic(pteAddr, 8, false);
                    if (rnd.nextBoolean()) {
                        ram.getAndBitwiseAndLong(off, ~(64L | 128L | (1L << rnd.nextInt(5))));
                    } else {
                        ram.getAndSetLong(off, value);
                    }
                    mmu.setContext(fetchPriv, dataPriv, sum, mxr);
                }
                case 4 -> { // device DMA into the page table
                    try {
                        pm.dmaView().writeU64(pteAddr, value);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                default -> { // behind everyone's back, then the fence the spec requires
                    ram.putLong(pteAddr - BASE, value);
                    mmu.sfence(0, true, 0, true);
                }
            }
        }

        void access() {
            mmu.pollFlush(); // a block boundary: remote messages are taken here
            long va = randomVa();
            int kind = rnd.nextInt(10) < 2 ? AccessType.FETCH : rnd.nextInt(10) < 6 ? AccessType.LOAD : AccessType.STORE;
            int size = kind == AccessType.FETCH ? 2 : 1 << rnd.nextInt(4);
            if (kind == AccessType.FETCH || rnd.nextInt(5) != 0 || (va & 0xFFF) + size > 4096) {
                va &= ~(long) (size - 1); // a fifth of data accesses are misaligned within a page
            }
            int priv = kind == AccessType.FETCH ? fetchPriv : dataPriv;
            lastVa = va;
            note(describe(kind, size, va));
            ref.translate(satp, va, kind, priv, sum, mxr);
            int expectedCause = ref.cause;
            long pa = ref.pa;
            if (expectedCause == ReferenceWalk.OK && !ram.contains(pa, size)) {
                expectedCause = AccessType.accessFaultCause(kind);
            }
            long leafBefore = ref.leafAddr >= 0 ? ram.getLong(ref.leafAddr - BASE) : 0;
            long expectedValue = expectedCause == ReferenceWalk.OK ? read(pa - BASE, size) : 0;
            long storeValue = rnd.nextLong();
            long got;
            try {
                got = switch (kind) {
                    case AccessType.FETCH -> mmu.fetchOffset(va);
                    case AccessType.LOAD -> switch (size) {
                        case 1 -> mmu.load8(va);
                        case 2 -> mmu.load16(va);
                        case 4 -> mmu.load32(va);
                        default -> mmu.load64(va);
                    };
                    default -> {
                        switch (size) {
                            case 1 -> mmu.store8(va, storeValue);
                            case 2 -> mmu.store16(va, storeValue);
                            case 4 -> mmu.store32(va, storeValue);
                            default -> mmu.store64(va, storeValue);
                        }
                        yield 0;
                    }
                };
            } catch (MemoryFault f) {
                String what = describe(kind, size, va);
                assertNotEquals(ReferenceWalk.OK, expectedCause, what + ": MMU faulted (cause " + f.cause()
                        + ") but the reference translates to 0x" + Long.toHexString(pa) + "; " + where());
                assertEquals(expectedCause, f.cause(), what + ": cause; " + where());
                assertEquals(va, f.tval(), what + ": tval; " + where());
                return;
            }
            String what = describe(kind, size, va);
            assertEquals(ReferenceWalk.OK, expectedCause, what + ": MMU succeeded but the reference faults with cause "
                    + expectedCause + "; " + where());
            long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
            switch (kind) {
                case AccessType.FETCH -> assertEquals(pa - BASE, got, what + ": fetch offset; " + where());
                case AccessType.LOAD -> assertEquals(expectedValue & mask, got, what + ": loaded value (pa 0x"
                        + Long.toHexString(pa) + "); " + where());
                default -> assertEquals(storeValue & mask, read(pa - BASE, size) & mask, what + ": stored value at pa 0x"
                        + Long.toHexString(pa) + "; " + where());
            }
            if (ref.leafAddr >= 0) {
                boolean overwritten = kind == AccessType.STORE && pa < ref.leafAddr + 8 && ref.leafAddr < pa + size;
                long leafNow = ram.getLong(ref.leafAddr - BASE);
                if (!overwritten) {
                    assertEquals(leafBefore | ref.mustSet, leafNow, what + ": A/D bits of the leaf PTE at 0x"
                            + Long.toHexString(ref.leafAddr) + "; " + where());
                }
            }
        }

        long read(long off, int size) {
            return switch (size) {
                case 1 -> ram.getByte(off) & 0xFFL;
                case 2 -> ram.getShort(off) & 0xFFFFL;
                case 4 -> ram.getInt(off) & 0xFFFF_FFFFL;
                default -> ram.getLong(off);
            };
        }

        static String describe(int kind, int size, long va) {
            return (kind == AccessType.FETCH ? "fetch" : kind == AccessType.LOAD ? "load" + size : "store" + size)
                    + " va=0x" + Long.toHexString(va);
        }
    }
}
