package hv.memory;

/** Counters of one MMU, shown by {@code hv run --stats}. Written by the owning hart only. */
public final class MmuStats {
    /** Not counted on the fast path (it would cost a store per access); see {@link #tlbMisses}. */
    public long tlbHits;
    public long tlbMisses;
    public long tlbFills;
    public long shadowHits;
    public long shadowMisses;
    public long shadowFills;
    public long invalidations;
    public long pageTableWriteInvalidations;
    public long pageFaults;
    public long accessFaults;
    public long mmioAccesses;

    @Override
    public String toString() {
        return "tlb-misses=" + tlbMisses + " tlb-fills=" + tlbFills + " shadow-hits=" + shadowHits
                + " shadow-misses=" + shadowMisses + " shadow-fills=" + shadowFills + " invalidations=" + invalidations
                + " pt-write-invalidations=" + pageTableWriteInvalidations + " page-faults=" + pageFaults
                + " access-faults=" + accessFaults + " mmio=" + mmioAccesses;
    }
}
