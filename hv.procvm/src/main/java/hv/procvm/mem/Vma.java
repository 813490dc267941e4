package hv.procvm.mem;

/**
 * One virtual memory area of a guest process: a page-aligned range with one protection and one
 * kind (what backs pages that are not present yet). Mutable only under the owning
 * {@link AddressSpace}'s lock.
 */
public final class Vma {
    /** Private anonymous memory (and private file mappings, whose file part is filled at mmap time). */
    public static final int PRIVATE = 0;
    /** Shared memory: frames are shared (not copied) with forked children. */
    public static final int SHARED = 1;

    long start;
    long end;
    int prot;
    final int kind;
    final String name;

    Vma(long start, long end, int prot, int kind, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.kind = kind;
        this.name = name;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public int prot() {
        return prot;
    }

    public int kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    Vma copy(long newStart, long newEnd) {
        return new Vma(newStart, newEnd, prot, kind, name);
    }

    @Override
    public String toString() {
        return String.format("%012x-%012x %s %s", start, end, Prot.toString(prot), name);
    }
}
