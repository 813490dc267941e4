package hv.cpu;

import java.util.Arrays;

/**
 * A debugger's breakpoints: virtual pcs that harts stop before (see {@link Hart#watchBreakpoints}).
 * One set per machine, shared by its harts. An address may be added more than once (a software and
 * a hardware breakpoint at the same place): it stays until removed as often.
 *
 * <p>Thread-safe: the debugger's thread changes the set (under this object's lock, copy on write);
 * harts read it lock-free ({@link #contains}: one volatile read and a binary search).
 */
public final class Breakpoints {
    /** Sorted; duplicates allowed (one per add). */
    private volatile long[] pcs = new long[0];

    /** Adds one breakpoint at {@code pc}. */
    public synchronized void add(long pc) {
        long[] old = pcs;
        long[] n = Arrays.copyOf(old, old.length + 1);
        n[old.length] = pc;
        Arrays.sort(n);
        pcs = n;
    }

    /** Removes one breakpoint at {@code pc}; false if there was none. */
    public synchronized boolean remove(long pc) {
        long[] old = pcs;
        int i = Arrays.binarySearch(old, pc);
        if (i < 0) {
            return false;
        }
        long[] n = new long[old.length - 1];
        System.arraycopy(old, 0, n, 0, i);
        System.arraycopy(old, i + 1, n, i, old.length - i - 1);
        pcs = n;
        return true;
    }

    /** Removes every breakpoint (the debugger detached). */
    public synchronized void clear() {
        pcs = new long[0];
    }

    public boolean isEmpty() {
        return pcs.length == 0;
    }

    public boolean contains(long pc) {
        long[] a = pcs;
        return a.length != 0 && Arrays.binarySearch(a, pc) >= 0;
    }

    /** How many breakpoints are set (duplicates counted). */
    public int size() {
        return pcs.length;
    }
}
