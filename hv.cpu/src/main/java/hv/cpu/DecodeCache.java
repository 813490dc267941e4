package hv.cpu;

import hv.memory.CodeWriteLog;
import hv.memory.GuestRam;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One hart's cache of decoded instructions, per 4 KiB page of guest RAM, indexed directly by the
 * page's offset in RAM (no hashing). Entries are decoded lazily, on first execution, from a
 * snapshot of the page's bytes taken when the page entered the cache.
 *
 * <p>Coherence (unprivileged spec, chapter 3 "Zifencei"): a hart need only see its own or other
 * harts' instruction stores after it executes FENCE.I. FENCE.I (and {@link Hart#flushDecodeCache()},
 * which the VMM calls after writing guest code by DMA or for a remote fence.i) bump
 * {@link #generation}; a page whose generation is older is revalidated when next entered by
 * comparing the snapshot with RAM (a vectorised 4 KiB mismatch, ~100 ns) and cleared only if its
 * bytes changed. So FENCE.I costs O(1) and a hot, unchanged page is never decoded twice, while code
 * written by DMA or another hart is never executed stale after a FENCE.I.
 *
 * <p>Most of those compares find nothing (Linux's early boot runs ~43 000 FENCE.I while ftrace
 * patches call sites, each followed by a dozen pages entered). With {@code trustWriteLog}, a page
 * remembers the RAM's {@link CodeWriteLog} write generation at its snapshot, taken while no store
 * TLB mapped the page; if the generation has not moved, nobody wrote the page and the compare is
 * skipped. Only for machines whose every RAM writer reports to the log (the system VM: MMU, DMA,
 * loaders); the process VM writes RAM directly, so its harts always compare.
 */
final class DecodeCache {
    static final int PAGE_BYTES = 4096;
    /** One entry per halfword, plus a sentinel END entry that sequential execution runs into. */
    static final int ENTRIES = PAGE_BYTES / 2;

    /** A decoded page: code[0..2047] entries (0 = not decoded yet), code[2048] = END. */
    static final class Page {
        final long[] code = new long[ENTRIES + 1];
        final byte[] snapshot = new byte[PAGE_BYTES];
        final MemorySegment snapshotSegment = MemorySegment.ofArray(snapshot);
        int generation;
        /** Translated regions by entry index (null until the first one); see {@link Jit}. */
        CompiledRegion[] regions;
        /** Entries into each entry index counted by {@link Jit} (null until profiled). */
        char[] heat;
        /**
         * The last two region page images ({@link CompiledRegion#second}; regions shared between harts
         * bring other harts' copies) found equal to this page's bytes, and the last one found
         * different, so that a region's crossing check compares 4 KiB only once per image and page
         * version (a region of a shared page whose neighbour differs per process, e.g. user code,
         * would otherwise compare at every run); reset when the bytes change.
         */
        byte[] matchedBytes, matchedBytes2, mismatchedBytes;
        /** A copy of the snapshot shared by the regions that cross into this page version; reset when the bytes change. */
        private byte[] frozen;
        /** The RAM page's write generation when the snapshot was known equal to RAM. */
        int writeGeneration;
        /** Whether writeGeneration vouches for the snapshot (no store TLB mapped the page then). */
        boolean vouched;

        Page() {
            code[ENTRIES] = Op.entry(Op.END, 0, 0, 0, 0, 0);
        }

        /**
         * An immutable copy of the page's current bytes (one per page version, shared by every region
         * translated from it, so that 33 000 regions of a JIT-forced boot do not hold 33 000 copies).
         */
        byte[] frozenSnapshot() {
            if (frozen == null) {
                frozen = snapshot.clone();
                matchedBytes = frozen;
            }
            return frozen;
        }

        int parcel(int halfword) {
            int i = halfword << 1;
            return (snapshot[i] & 0xff) | (snapshot[i + 1] & 0xff) << 8;
        }

        /** Decodes the instruction starting at halfword {@code idx} of this page. */
        long decode(int idx) {
            int lo = parcel(idx);
            if ((lo & 3) != 3) {
                return Decoder.decode16(lo);
            }
            if (idx == ENTRIES - 1) {
                return Op.entry(Op.CROSS, 0, 0, 0, 0, 0) | Op.LONG_INSN; // straddles into the next page
            }
            return Decoder.decode32(lo | parcel(idx + 1) << 16);
        }
    }

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment ram;
    private final CodeWriteLog writes;
    private final boolean trustWriteLog;
    private final Page[] pages;
    private final int capacity;
    private int count;
    private int generation;
    /** Statistics. */
    long pagesCreated, pagesRevalidated, pagesCleared, capacityDrops, pagesVouched;

    DecodeCache(GuestRam ram, int capacity) {
        this(ram, capacity, false);
    }

    /** @param trustWriteLog skip the compare for pages the RAM's CodeWriteLog shows unwritten (see class doc) */
    DecodeCache(GuestRam ram, int capacity, boolean trustWriteLog) {
        this.ram = ram.segment();
        this.writes = ram.codeWrites();
        this.trustWriteLog = trustWriteLog;
        long n = ram.size() / PAGE_BYTES;
        this.pages = new Page[(int) Math.min(n, Integer.MAX_VALUE - 8)];
        this.capacity = Math.max(16, capacity);
    }

    /** Makes every cached page revalidate before its next execution (FENCE.I semantics). */
    void invalidateAll() {
        generation++;
    }

    /** The decoded page for the RAM page starting at {@code pageOffset}. */
    Page lookup(long pageOffset) {
        int i = (int) (pageOffset >>> 12);
        Page p = pages[i];
        if (p == null) {
            if (count >= capacity) {
                // Bounded memory: start over rather than track LRU (a drop is rare and cheap to recover from).
                Arrays.fill(pages, null);
                count = 0;
                capacityDrops++;
            }
            p = new Page();
            vouchBeforeReading(p, i);
            MemorySegment.copy(ram, pageOffset, p.snapshotSegment, 0, PAGE_BYTES);
            p.generation = generation;
            pages[i] = p;
            count++;
            pagesCreated++;
        } else if (p.generation != generation) {
            if (p.vouched && writes.writeGeneration(i) == p.writeGeneration) {
                pagesVouched++; // nobody wrote the page since its snapshot was equal to RAM
                p.generation = generation;
                return p;
            }
            pagesRevalidated++;
            vouchBeforeReading(p, i);
            if (MemorySegment.mismatch(ram, pageOffset, pageOffset + PAGE_BYTES, p.snapshotSegment, 0, PAGE_BYTES) >= 0) {
                MemorySegment.copy(ram, pageOffset, p.snapshotSegment, 0, PAGE_BYTES);
                Arrays.fill(p.code, 0, ENTRIES, 0L);
                p.regions = null; // translated code goes with the decoded entries it came from
                p.heat = null;
                p.matchedBytes = p.matchedBytes2 = p.mismatchedBytes = null;
                p.frozen = null;
                pagesCleared++;
            }
            p.generation = generation;
        }
        return p;
    }

    /**
     * Records the write generation of RAM page {@code page} before its bytes are read: if it is
     * unchanged later, the bytes read now are still RAM's (CodeWriteLog: generation first, then
     * the store-mapped count, then the bytes).
     */
    private void vouchBeforeReading(Page p, int page) {
        if (trustWriteLog) {
            p.writeGeneration = writes.writeGeneration(page);
            p.vouched = !writes.storeMapped(page);
        }
    }

    /** Reads a 16-bit parcel from RAM (for instructions straddling two pages, never cached). */
    int parcelAt(long ramOffset) {
        return ram.get(LE_SHORT, ramOffset) & 0xffff;
    }

    int pageCount() {
        return count;
    }
}
