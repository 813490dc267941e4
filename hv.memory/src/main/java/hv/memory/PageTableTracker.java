package hv.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Write-protect tracking of guest page-table pages, shared by all harts of a machine: for each
 * 4 KiB RAM page, how many harts have shadow translations built from page-table entries in it.
 *
 * <p>A page with a non-zero count is never put in any store TLB, so every guest store into it
 * takes the MMU slow path, which invalidates the shadows that depend on the entries it changed
 * (the shadow-paging technique of pre-nested-paging hypervisors). Counts change only in slow
 * paths; the store slow path reads one int.
 */
final class PageTableTracker {
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(short[].class);

    private final short[] counts;

    PageTableTracker(long pages) {
        this.counts = new short[(int) pages]; // a count per hart at most: 2 bytes a page
    }

    /** True when some hart's shadows depend on entries in RAM page {@code page}. */
    boolean isTracked(long page) {
        return (short) COUNTS.getVolatile(counts, (int) page) != 0;
    }

    int count(long page) {
        return (short) COUNTS.getVolatile(counts, (int) page);
    }

    /** One more hart tracks the page; returns the previous count (0: the page just became a page table). */
    int track(long page) {
        return (short) COUNTS.getAndAdd(counts, (int) page, (short) 1);
    }

    /** One hart stopped tracking the page. */
    void untrack(long page) {
        COUNTS.getAndAdd(counts, (int) page, (short) -1);
    }
}
