package hv.memory;

/**
 * CONTRACT (to be implemented by the hv.memory owner; signatures are fixed because hv.cpu codes against them).
 *
 * One MMU per hart: translation (Bare/Sv39/Sv48/Sv57) with a small software TLB in front of shadow
 * page tables, and the guest's loads, stores and fetches. Not thread-safe: only the owning hart's
 * thread calls it, except {@link #requestFlush()}, which any thread may call (remote sfence,
 * write-protect invalidation) and which takes effect at the hart's next {@link #pollFlush()}.
 *
 * <p>Hot path: loadNN/storeNN/fetch hit the TLB with a few array reads and a compare; the slow
 * path walks shadows or the guest page tables, routes MMIO to the bus, and throws this MMU's
 * {@link MemoryFault} on a fault. Misaligned loads and stores are performed in place (never a
 * misaligned trap), including ones that straddle pages (both pages are translated first, so a
 * fault leaves memory untouched).
 */
public final class Mmu {

    public static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;

    public Mmu(PhysicalMemory memory, int hartId) {
        throw new UnsupportedOperationException("pending hv.memory implementation");
    }

    public PhysicalMemory memory() { throw new UnsupportedOperationException(); }

    /** The fault instance this MMU throws (the hart reads cause/tval from it). */
    public MemoryFault fault() { throw new UnsupportedOperationException(); }

    // --- context, set by the hart when priv/mstatus/satp change (rare) ---

    /**
     * @param fetchPriv the current privilege (PRIV_U/S/M) used for instruction fetch
     * @param dataPriv  the effective privilege for loads/stores (mstatus.MPP when MPRV=1 in M-mode)
     * @param sum       mstatus.SUM
     * @param mxr       mstatus.MXR
     */
    public void setContext(int fetchPriv, int dataPriv, boolean sum, boolean mxr) { throw new UnsupportedOperationException(); }

    /** WARL write of satp: an unsupported MODE leaves satp unchanged (returns false). Does not flush (spec 4.1.11). */
    public boolean writeSatp(long value) { throw new UnsupportedOperationException(); }

    public long satp() { throw new UnsupportedOperationException(); }

    /** Which modes writeSatp accepts beyond Bare: 8 (Sv39), 9 (Sv48), 10 (Sv57). Default: all three. */
    public void setMaxMode(int satpMode) { throw new UnsupportedOperationException(); }

    /** sfence.vma semantics: vaddr/asid may each be "all" (pass {@code allVaddr}/{@code allAsid} true). */
    public void sfence(long vaddr, boolean allVaddr, int asid, boolean allAsid) { throw new UnsupportedOperationException(); }

    /** Thread-safe: asks the owning hart to drop its TLB at its next pollFlush(). */
    public void requestFlush() { throw new UnsupportedOperationException(); }

    /** Called by the hart at block boundaries; cheap (one volatile read) when nothing is pending. */
    public void pollFlush() { throw new UnsupportedOperationException(); }

    // --- data accesses: values are zero-extended raw bits; the hart sign-extends ---

    public long load8(long va) { throw new UnsupportedOperationException(); }

    public long load16(long va) { throw new UnsupportedOperationException(); }

    public long load32(long va) { throw new UnsupportedOperationException(); }

    public long load64(long va) { throw new UnsupportedOperationException(); }

    public void store8(long va, long value) { throw new UnsupportedOperationException(); }

    public void store16(long va, long value) { throw new UnsupportedOperationException(); }

    public void store32(long va, long value) { throw new UnsupportedOperationException(); }

    public void store64(long va, long value) { throw new UnsupportedOperationException(); }

    /**
     * Translates for an atomic (LR/SC/AMO) of {@code size} bytes with store permission and returns
     * the offset into {@link GuestRam#segment()}; the hart then uses GuestRam's atomic accessors.
     * Misaligned → STORE_MISALIGNED (LR: LOAD_MISALIGNED when {@code isLoadReserved}); not RAM → access fault.
     * Marks the page dirty (for SC/AMO).
     */
    public long translateAtomic(long va, int size, boolean isLoadReserved) { throw new UnsupportedOperationException(); }

    // --- instruction fetch ---

    /**
     * Translates pc for execution and returns the offset into {@link GuestRam#segment()} of the
     * byte at pc (fetch from outside RAM → INSTRUCTION_ACCESS_FAULT). Fast path: exec TLB hit.
     * The hart reads the 16-bit parcels itself; for a 32-bit instruction whose second parcel
     * lies in the next page it calls this again for pc+2.
     */
    public long fetchOffset(long pc) { throw new UnsupportedOperationException(); }

    /** Statistics: TLB/shadow hits, misses, fills, invalidations. */
    public MmuStats stats() { throw new UnsupportedOperationException(); }
}
