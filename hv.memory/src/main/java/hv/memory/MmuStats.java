package hv.memory;

/** Counters of one MMU, shown by {@code hv run --stats}. Written by the owning hart only. */
public final class MmuStats {
    /** Counted only with -Dhv.mmu.countTlbHits=true (a store per access on the fast path otherwise). */
    public long tlbHits;
    public long tlbMisses;
    public long tlbFills;
    public long shadowHits;
    public long shadowMisses;
    public long shadowFills;
    /** Shadow entries dropped (sfence, page-table stores, reclamation). */
    public long invalidations;
    /** Guest stores into tracked page-table pages. */
    public long pageTableStores;
    /** Page-table entry changes that invalidated shadows. */
    public long pageTableWriteInvalidations;
    public long floodUntracks;
    public long spacesReclaimed;
    public long satpSwitches;
    public long sfences;
    public long remoteFlushes;
    public long messages;
    public long inboxOverflows;
    public long pageFaults;
    public long accessFaults;
    public long mmioAccesses;

    @Override
    public String toString() {
        return "tlb-hits=" + (Mmu.COUNT_HITS ? Long.toString(tlbHits) : "n/a") + " tlb-misses=" + tlbMisses + " tlb-fills=" + tlbFills + " shadow-hits=" + shadowHits
                + " shadow-misses=" + shadowMisses + " shadow-fills=" + shadowFills + " invalidations=" + invalidations
                + " pt-stores=" + pageTableStores + " pt-write-invalidations=" + pageTableWriteInvalidations
                + " flood-untracks=" + floodUntracks + " spaces-reclaimed=" + spacesReclaimed
                + " satp-switches=" + satpSwitches + " sfences=" + sfences + " remote-flushes=" + remoteFlushes
                + " messages=" + messages + " inbox-overflows=" + inboxOverflows + " page-faults=" + pageFaults + " access-faults=" + accessFaults
                + " mmio=" + mmioAccesses;
    }
}
