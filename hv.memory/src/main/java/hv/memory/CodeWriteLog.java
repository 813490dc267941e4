package hv.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Which RAM pages may have been written since a given moment, for the harts' decoded-code caches:
 * FENCE.I (unprivileged spec, Zifencei) makes them look at every cached page again, and a page
 * nobody wrote need not be compared byte by byte with its snapshot.
 *
 * <p>Per 4 KiB RAM page, two counters:
 * <ul>
 * <li>{@code writes}: bumped after every write that bypasses the store TLBs (host and DMA writes,
 *     MMU slow-path stores that do not fill the TLB) and whenever a store TLB entry for the page
 *     is installed (before the stores that use it);</li>
 * <li>{@code storeMapped}: store TLB entries (any hart, any set) that currently map the page.</li>
 * </ul>
 * A reader that sees {@code storeMapped == 0} after reading {@code writes == w} and then copies the
 * page knows: while {@code writes} still reads {@code w}, nobody wrote the page since the copy.
 * Every write is either followed by a bump (so a later read differs), or goes through a TLB entry,
 * which was counted (and bumped {@code writes}) when installed and un-counted only after its last
 * store, so it either ended before the copy or keeps the page "mapped" at snapshot time.
 *
 * <p>Thread-safe and allocation-free; the counters are volatile (VarHandle) so that these
 * orderings hold. The cost lands on TLB fills and evictions (a few atomic adds), never on a TLB hit.
 */
public final class CodeWriteLog {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final int[] writes;
    private final int[] storeMapped;

    CodeWriteLog(long pages) {
        this.writes = new int[(int) pages];
        this.storeMapped = new int[(int) pages];
    }

    /** The write generation of RAM page {@code page} (offset / 4096). */
    public int writeGeneration(long page) {
        return (int) COUNTS.getVolatile(writes, (int) page);
    }

    /** Whether some store TLB maps the page right now (its stores would not bump the generation). */
    public boolean storeMapped(long page) {
        return (int) COUNTS.getVolatile(storeMapped, (int) page) != 0;
    }

    /** After a write of [off, off+length) that did not go through a store TLB entry. */
    public void noteWritten(long off, long length) {
        if (length <= 0) {
            return;
        }
        long last = Math.min((off + length - 1) >>> 12, writes.length - 1L);
        for (long p = Math.max(0, off >>> 12); p <= last; p++) {
            COUNTS.getAndAdd(writes, (int) p, 1);
        }
    }

    /** A store TLB entry for RAM page {@code page} is about to be installed (before its first store). */
    void storeMappingAdded(long page) {
        COUNTS.getAndAdd(storeMapped, (int) page, 1);
        COUNTS.getAndAdd(writes, (int) page, 1); // after the count: see the class comment
    }

    /** A store TLB entry for RAM page {@code page} was removed (after its last store). */
    void storeMappingRemoved(long page) {
        COUNTS.getAndAdd(storeMapped, (int) page, -1);
    }
}
