package hv.cpu;

import java.util.Arrays;

/**
 * A debugger's breakpoints and watchpoints (see {@link Hart#watchBreakpoints}): virtual pcs that
 * harts stop before, and virtual address ranges whose loads and/or stores stop a hart after the
 * accessing instruction. One set per machine, shared by its harts. An address may be added more
 * than once (a software and a hardware breakpoint at the same place): it stays until removed as often.
 *
 * <p>Thread-safe: the debugger's thread changes the set (under this object's lock, copy on write);
 * harts read it lock-free ({@link #contains}: one volatile read and a binary search).
 */
public final class Breakpoints {
    /** Watchpoint kinds (bits): stores, loads; AMOs are both. */
    public static final int WRITE = 1, READ = 2, ACCESS = WRITE | READ;

    /** A watched range [address, address + length) and what accesses to it stop a hart. */
    public record Watch(long address, long length, int kind) {
        boolean hitBy(long addr, int size, int accessKind) {
            return (kind & accessKind) != 0 && addr + size - address > 0 && address + length - addr > 0;
        }
    }

    /** Sorted; duplicates allowed (one per add). */
    private volatile long[] pcs = new long[0];
    private volatile Watch[] watches = new Watch[0];

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

    /** Removes every breakpoint and watchpoint (the debugger detached). */
    public synchronized void clear() {
        pcs = new long[0];
        watches = new Watch[0];
    }

    /** No breakpoint and no watchpoint: harts run at full speed. */
    public boolean isEmpty() {
        return pcs.length == 0 && watches.length == 0;
    }

    /** Adds a watchpoint on [address, address + length) for accesses of {@code kind} (WRITE, READ, ACCESS). */
    public synchronized void addWatch(long address, long length, int kind) {
        if (length <= 0 || (kind & ACCESS) == 0) {
            throw new IllegalArgumentException("watchpoint of length " + length + ", kind " + kind);
        }
        Watch[] n = Arrays.copyOf(watches, watches.length + 1);
        n[watches.length] = new Watch(address, length, kind & ACCESS);
        watches = n;
    }

    /** Removes one watchpoint equal to the one given; false if there was none. */
    public synchronized boolean removeWatch(long address, long length, int kind) {
        Watch w = new Watch(address, length, kind & ACCESS);
        Watch[] old = watches;
        for (int i = 0; i < old.length; i++) {
            if (old[i].equals(w)) {
                Watch[] n = new Watch[old.length - 1];
                System.arraycopy(old, 0, n, 0, i);
                System.arraycopy(old, i + 1, n, i, old.length - i - 1);
                watches = n;
                return true;
            }
        }
        return false;
    }

    public boolean hasWatchpoints() {
        return watches.length != 0;
    }

    /** The watchpoint an access of {@code size} bytes at {@code addr} of {@code accessKind} hits, or null. */
    public Watch watchHit(long addr, int size, int accessKind) {
        for (Watch w : watches) {
            if (w.hitBy(addr, size, accessKind)) {
                return w;
            }
        }
        return null;
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
