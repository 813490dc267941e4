package hv.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A per-page (4 KiB) dirty log of guest RAM, for snapshots and pre-copy live migration.
 *
 * <p>Off by default and then free: every marker first reads one volatile boolean. While on, the
 * MMU slow path marks a page before it fills the hart's store TLB with it, so the store fast
 * path never needs to mark anything: a page is in a store TLB only if it is already dirty.
 *
 * <p>The delicate part is {@link #readAndClear()}: after a bit is cleared, a hart may still hold
 * a store-TLB entry for the page and write through it without marking. So every clear asks all
 * harts to flush, and a hart, when it flushes, first marks every page its store TLB maps (see
 * {@link Mmu#pollFlush()}). A write through a stale entry therefore happens before that mark and
 * is reported by the next round, which begins after it: every write is reported by at least one
 * readAndClear that begins after the write. We never wait for a hart (one may sleep in WFI).
 * Device (DMA) and loader writes mark after the data is written, which needs nothing more.
 */
public final class DirtyLog {
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long pages;
    private final long[] bits;
    private volatile boolean enabled;
    private final List<Mmu> mmus = new CopyOnWriteArrayList<>();
    DirtyLog(long pages) {
        this.pages = pages;
        this.bits = new long[(int) ((pages + 63) >>> 6)];
    }

    /** Number of 4 KiB pages the log covers (bit i = page at RAM offset i * 4096). */
    public long pages() {
        return pages;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Starts logging. With {@code allDirty} every page starts dirty (the first round of a
     * pre-copy migration copies everything anyway); otherwise only pages written from now on
     * are reported (the harts' store TLBs are flushed so they go through the slow path again).
     */
    public synchronized void start(boolean allDirty) {
        if (enabled) {
            return;
        }
        if (allDirty) {
            long[] all = allOnes();
            for (int i = 0; i < bits.length; i++) {
                BITS.setVolatile(bits, i, all[i]);
            }
            enabled = true;
        } else {
            for (int i = 0; i < bits.length; i++) {
                BITS.setVolatile(bits, i, 0L);
            }
            enabled = true;
            // Store-TLB entries made before now were filled without marking: flushing them marks them.
            requestFlushes();
        }
    }

    /** Stops logging and forgets all marks. */
    public synchronized void stop() {
        enabled = false;
        for (int i = 0; i < bits.length; i++) {
            BITS.setVolatile(bits, i, 0L);
        }
    }

    /**
     * Atomically takes the set of pages dirtied since the last call (or since start) and clears
     * it: every write is reported by at least one call that returns after it. Bit i of word
     * i/64 is page i. Returns an empty bitmap when logging is off.
     */
    public synchronized long[] readAndClear() {
        long[] out = new long[bits.length];
        if (!enabled) {
            return out;
        }
        for (int i = 0; i < bits.length; i++) {
            out[i] = (long) BITS.getAndSet(bits, i, 0L);
        }
        requestFlushes();
        return out;
    }

    /** True when page {@code pageIndex} is currently marked. */
    public boolean isDirty(long pageIndex) {
        return ((long) BITS.getVolatile(bits, (int) (pageIndex >>> 6)) & (1L << pageIndex)) != 0;
    }

    /** Marks the page holding RAM offset {@code off}. Call AFTER the data is written. */
    public void markOffset(long off) {
        if (enabled) {
            markPage(off >>> 12);
        }
    }

    /** Marks every page that [off, off+length) touches. Call AFTER the data is written. */
    public void markRange(long off, long length) {
        if (!enabled || length <= 0) {
            return;
        }
        long last = (off + length - 1) >>> 12;
        for (long p = off >>> 12; p <= last; p++) {
            markPage(p);
        }
    }

    private void markPage(long page) {
        int word = (int) (page >>> 6);
        long mask = 1L << page;
        // A volatile read first: it keeps concurrent markers off the cache line's write path,
        // and if it sees the bit set, a clear that would lose our write has not happened yet.
        if (((long) BITS.getVolatile(bits, word) & mask) == 0) {
            BITS.getAndBitwiseOr(bits, word, mask);
        }
    }

    // --- the harts whose store TLBs must be flushed when bits are cleared ---

    void register(Mmu mmu) {
        mmus.add(mmu);
    }

    void unregister(Mmu mmu) {
        mmus.remove(mmu);
    }

    private void requestFlushes() {
        for (Mmu mmu : mmus) {
            mmu.requestFlush();
        }
    }

    private long[] allOnes() {
        long[] all = new long[bits.length];
        Arrays.fill(all, -1L);
        int rest = (int) (pages & 63);
        if (rest != 0) {
            all[all.length - 1] = (1L << rest) - 1;
        }
        return all;
    }

    /** Counts set bits in a bitmap returned by {@link #readAndClear()}. */
    public static long count(long[] bitmap) {
        long n = 0;
        for (long w : bitmap) {
            n += Long.bitCount(w);
        }
        return n;
    }
}
