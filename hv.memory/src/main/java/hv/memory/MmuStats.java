package hv.memory;

/** Counters of one MMU, shown by {@code hv run --stats}. Written by the owning hart only. */
public final class MmuStats {
    public long tlbHits;
    public long tlbMisses;
    public long shadowHits;
    public long shadowMisses;
    public long shadowFills;
    public long invalidations;
    public long pageTableWriteInvalidations;
    public long pageFaults;

    @Override
    public String toString() {
        return "tlb-hits=" + tlbHits + " tlb-misses=" + tlbMisses + " shadow-hits=" + shadowHits
                + " shadow-misses=" + shadowMisses + " shadow-fills=" + shadowFills + " invalidations=" + invalidations
                + " pt-write-invalidations=" + pageTableWriteInvalidations + " page-faults=" + pageFaults;
    }
}
