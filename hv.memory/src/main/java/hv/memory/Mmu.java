package hv.memory;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
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
 *
 * <p>The TLB (after TinyEMU): for loads, stores and fetches separately, a direct-mapped array
 * indexed by virtual page number holding, at [2i], the virtual page address (the tag) and, at
 * [2i+1], the RAM offset of the page minus the virtual page address (the addend), so a hit is
 * {@code segment.get(layout, addend + va)}. The tag compare also checks alignment: the access address is
 * masked so that its low log2(size) bits survive, and a misaligned address never equals a tag.
 * An empty slot holds -1, which no masked address equals. Entries map RAM only: MMIO, faults and
 * misaligned accesses always take the slow path.
 *
 * <p>There is one TLB set per translation context (effective privilege U/S, SUM, MXR for data;
 * U/S for fetch; plus one for Bare/M-mode), so a U&lt;-&gt;S switch or an MPRV toggle just selects
 * another set instead of flushing. A satp write flushes the translated sets, never the shadows.
 */
public final class Mmu {

    public static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;

    static final int TLB_BITS = 8;
    static final int TLB_SIZE = 1 << TLB_BITS;
    static final int TLB_MASK = TLB_SIZE - 1;
    static final long EMPTY = -1L;
    /**
     * Counting TLB hits costs a store per access, so it is off unless -Dhv.mmu.countTlbHits=true
     * (a static final: when false the JIT removes the counting entirely).
     */
    static final boolean COUNT_HITS = Boolean.getBoolean("hv.mmu.countTlbHits");

    /** Data TLB sets: 0..7 translated ((S?4:0) | (SUM?2:0) | (MXR?1:0)), 8 Bare. */
    private static final int DATA_SETS = 9, DATA_BARE = 8;
    /** Fetch TLB sets: 0 = U, 1 = S, 2 = Bare. */
    private static final int FETCH_SETS = 3, FETCH_BARE = 2;

    private final PhysicalMemory memory;
    private final GuestRam ram;
    /** ram.segment(), held directly so a TLB hit costs one field load less. */
    private final MemorySegment seg;
    private final int hartId;
    private final MemoryFault fault = new MemoryFault();
    private final MmuStats stats = new MmuStats();
    private final DirtyLog dirtyLog;
    private final CodeWriteLog codeWrites;
    private final PageTableTracker pageTables;
    private final ShadowTables shadows;

    // --- the active TLB arrays (the hot path reads only these) ---
    private long[] ld;
    private long[] st;
    private long[] ex;

    private final long[][] loadSets = new long[DATA_SETS][];
    private final long[][] storeSets = new long[DATA_SETS][];
    private final long[][] fetchSets = new long[FETCH_SETS][];
    private final boolean[] dataUsed = new boolean[DATA_SETS];
    private final boolean[] fetchUsed = new boolean[FETCH_SETS];
    private int dataSet;
    private int fetchSet;

    // --- architectural context ---
    private long satp;
    private int mode;        // 0 Bare, 8 Sv39, 9 Sv48, 10 Sv57
    private long rootPpn;
    private int asid;
    private int maxMode = 10;
    private int fetchPriv = PRIV_M;
    private int dataPriv = PRIV_M;
    private boolean sum;
    private boolean mxr;

    /** Superpage regions cached in the TLB (va base, size mask), so sfence by address can find them. */
    private final long[] superBase = new long[16];
    private final long[] superMask = new long[16];
    private int superCount;
    private boolean superOverflow;

    // --- cross-thread requests: other harts post messages; we act on them at pollFlush ---
    /** Set by anyone who wants this hart to look at its inbox / flush flag. */
    private volatile boolean attention;
    private volatile boolean tlbFlushRequested;
    private final Object inboxLock = new Object();
    private long[] inbox = new long[1024];
    private long[] inboxWork = new long[1024];
    private int inboxCount;
    private boolean inboxOverflow;
    /** RAM offset of the last SC/AMO page: the hart writes it after we marked it, so a flush marks it again. */
    private long lastAtomicOffset = -1;
    /** RAM offset of an atomic on a page-table page to note in codeWrites after the hart's write, or -1. */
    private long atomicWriteToNote = -1;

    public Mmu(PhysicalMemory memory, int hartId) {
        this.memory = memory;
        this.ram = memory.ram();
        this.seg = ram.segment();
        this.hartId = hartId;
        this.dirtyLog = ram.dirtyLog();
        this.codeWrites = ram.codeWrites();
        this.pageTables = memory.pageTables();
        this.shadows = new ShadowTables(this, memory, stats);
        for (int i = 0; i < DATA_SETS; i++) {
            loadSets[i] = emptySet();
            storeSets[i] = emptySet();
        }
        for (int i = 0; i < FETCH_SETS; i++) {
            fetchSets[i] = emptySet();
        }
        selectSets();
        memory.register(this);
    }

    private static long[] emptySet() {
        long[] set = new long[2 * TLB_SIZE];
        Arrays.fill(set, EMPTY);
        return set;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public int hartId() {
        return hartId;
    }

    /** The fault instance this MMU throws (the hart reads cause/tval from it). */
    public MemoryFault fault() {
        return fault;
    }

    /** Detaches this MMU from the machine (hart removed): it no longer receives flush requests. */
    public void close() {
        memory.unregister(this);
        // Our store entries stay counted in the CodeWriteLog: close() may come from another thread,
        // and a page left "store-mapped" only costs decode caches a compare (the safe direction).
    }

    /**
     * Back to the state after construction (hart or machine reset): satp = Bare, M-mode context,
     * every TLB entry and shadow dropped. RAM may be reloaded after this without stale shadows.
     */
    public void reset() {
        shadows.releaseAll();
        satp = 0;
        mode = 0;
        asid = 0;
        rootPpn = 0;
        flushAllTlb();
        setContext(PRIV_M, PRIV_M, false, false);
    }

    // --- context, set by the hart when priv/mstatus/satp change (rare) ---

    /**
     * @param fetchPriv the current privilege (PRIV_U/S/M) used for instruction fetch
     * @param dataPriv  the effective privilege for loads/stores (mstatus.MPP when MPRV=1 in M-mode)
     * @param sum       mstatus.SUM
     * @param mxr       mstatus.MXR
     */
    public void setContext(int fetchPriv, int dataPriv, boolean sum, boolean mxr) {
        this.fetchPriv = fetchPriv;
        this.dataPriv = dataPriv;
        this.sum = sum;
        this.mxr = mxr;
        selectSets();
    }

    private void selectSets() {
        if (mode == 0 || dataPriv == PRIV_M) {
            dataSet = DATA_BARE;
        } else {
            // SUM only matters in S-mode (4.1.1.2): fold it away for U so U shares one set.
            dataSet = (dataPriv == PRIV_S ? 4 : 0) | (dataPriv == PRIV_S && sum ? 2 : 0) | (mxr ? 1 : 0);
        }
        fetchSet = (mode == 0 || fetchPriv == PRIV_M) ? FETCH_BARE : (fetchPriv == PRIV_S ? 1 : 0);
        ld = loadSets[dataSet];
        st = storeSets[dataSet];
        ex = fetchSets[fetchSet];
    }

    /**
     * The TLB arrays in use for loads and stores, for a caller that inlines the hit path itself (the
     * hart's interpreter; later a bytecode translator): entry i of the page of va is at
     * {@code ((int) (va >>> 12) & TLB_INDEX_MASK) << 1}, tag then addend, exactly as in {@link #load64}.
     * The arrays change only when the owning hart calls {@link #setContext} or {@link #writeSatp}; it
     * must fetch them again after those. A miss must go through loadNN/storeNN.
     */
    public long[] loadTlb() {
        return ld;
    }

    public long[] storeTlb() {
        return st;
    }

    public static final int TLB_INDEX_MASK = TLB_MASK;

    /** WARL write of satp: an unsupported MODE leaves satp unchanged (returns false). Does not flush (spec 4.1.11). */
    public boolean writeSatp(long value) {
        int m = (int) (value >>> 60);
        if (m != 0 && (m < 8 || m > maxMode)) {
            return false;
        }
        if (value == satp) {
            return true;
        }
        satp = value;
        mode = m;
        asid = (int) (value >>> 44) & 0xFFFF;
        rootPpn = value & PageWalker.PPN_MASK;
        // The TLB holds one address space only (it is not architectural state); the shadows of
        // the old space stay, so switching back costs TLB refills from the shadow, not walks.
        flushTranslatedTlb();
        shadows.select(rootPpn, asid, mode);
        selectSets();
        stats.satpSwitches++;
        return true;
    }

    public long satp() {
        return satp;
    }

    /** Which modes writeSatp accepts beyond Bare: 8 (Sv39), 9 (Sv48), 10 (Sv57). Default: all three. */
    public void setMaxMode(int satpMode) {
        if (satpMode != 0 && (satpMode < 8 || satpMode > 10)) {
            throw new IllegalArgumentException("satp mode " + satpMode + " is not Bare, Sv39, Sv48 or Sv57");
        }
        this.maxMode = satpMode;
    }

    /**
     * sfence.vma semantics: vaddr/asid may each be "all" (pass {@code allVaddr}/{@code allAsid} true).
     * Invalidates precisely (spec 4.2.1): by address, the entries (any level) mapping vaddr; by
     * ASID, that ASID's spaces. Messages from other harts are processed first, so their stores
     * into page tables are accounted for before the fence completes.
     */
    public void sfence(long vaddr, boolean allVaddr, int asid, boolean allAsid) {
        stats.sfences++;
        if (attention) {
            handleAttention();
        }
        asid &= 0xFFFF;
        shadows.sfence(vaddr, allVaddr, asid, allAsid);
        if (!allAsid && asid != this.asid) {
            return; // the TLB only holds the current address space
        }
        if (allVaddr) {
            flushTranslatedTlb();
        } else {
            flushTlbPage(vaddr);
        }
    }

    /**
     * Thread-safe: asks the owning hart to drop its TLB at its next pollFlush() (a remote
     * sfence.vma, or the dirty log starting a new round). Shadows stay: they are kept coherent
     * with the guest's tables by write-protect tracking, which the hart also catches up on then.
     */
    public void requestFlush() {
        tlbFlushRequested = true;
        attention = true;
    }

    /**
     * Called by the hart at block boundaries; cheap (one volatile read) when nothing is pending.
     * Must also be called before the hart's exits are handled (in particular an SBI remote
     * fence), so its own reports reach the other harts before the fence it requests, and by
     * whoever pauses a stopped hart before the final dirty-log round (see {@link DirtyLog}).
     */
    public void pollFlush() {
        if (attention) {
            handleAttention();
        }
    }

    /** Thread-safe: queues a shadow-coherence message from another hart (see ShadowTables). */
    void post(long message) {
        synchronized (inboxLock) {
            if (inboxCount < inbox.length) {
                inbox[inboxCount++] = message;
            } else {
                inboxOverflow = true;
            }
        }
        attention = true;
    }

    /** Owner thread: make the next pollFlush do its work (deferred messages). */
    void wantAttention() {
        attention = true;
    }

    private void handleAttention() {
        attention = false;
        if (atomicWriteToNote >= 0) {
            codeWrites.noteWritten(atomicWriteToNote, 8);
            atomicWriteToNote = -1;
        }
        shadows.flushDeferred();
        long[] work;
        int n;
        boolean overflow;
        synchronized (inboxLock) {
            work = inbox;
            n = inboxCount;
            overflow = inboxOverflow;
            inbox = inboxWork;
            inboxWork = work;
            inboxCount = 0;
            inboxOverflow = false;
        }
        if (overflow) {
            // Lost messages: we cannot know what changed, so drop everything we built.
            stats.inboxOverflows++;
            shadows.clearAll();
            flushTranslatedTlb();
        } else {
            for (int i = 0; i < n; i++) {
                shadows.handle(work[i]);
            }
        }
        stats.messages += n;
        if (tlbFlushRequested) {
            tlbFlushRequested = false;
            stats.remoteFlushes++;
            markStoreTlbDirty();
            flushAllTlb();
        }
    }

    private void markStoreTlbDirty() {
        if (dirtyLog.enabled()) {
            // The dirty log may have cleared pages our store TLB still maps, and we may have written
            // them since without marking: mark them now, after those writes (see DirtyLog).
            for (long[] set : storeSets) {
                for (int i = 0; i < set.length; i += 2) {
                    if (set[i] != EMPTY) {
                        dirtyLog.markOffset(set[i] + set[i + 1]);
                    }
                }
            }
            if (lastAtomicOffset >= 0) {
                dirtyLog.markOffset(lastAtomicOffset);
            }
        }
        lastAtomicOffset = -1;
    }

    // --- TLB maintenance ---

    void flushTranslatedTlb() {
        for (int i = 0; i < DATA_SETS; i++) {
            if (i != DATA_BARE && dataUsed[i]) {
                clear(loadSets[i]);
                clearStore(storeSets[i]);
                dataUsed[i] = false;
            }
        }
        for (int i = 0; i < FETCH_SETS; i++) {
            if (i != FETCH_BARE && fetchUsed[i]) {
                clear(fetchSets[i]);
                fetchUsed[i] = false;
            }
        }
        superCount = 0;
        superOverflow = false;
    }

    private void flushAllTlb() {
        flushTranslatedTlb();
        if (dataUsed[DATA_BARE]) {
            clear(loadSets[DATA_BARE]);
            clearStore(storeSets[DATA_BARE]);
            dataUsed[DATA_BARE] = false;
        }
        if (fetchUsed[FETCH_BARE]) {
            clear(fetchSets[FETCH_BARE]);
            fetchUsed[FETCH_BARE] = false;
        }
    }

    private static void clear(long[] set) {
        for (int i = 0; i < set.length; i += 2) {
            set[i] = EMPTY;
        }
    }

    /** Empties a store set; every store-entry removal goes through {@link #dropStoreEntry}. */
    private void clearStore(long[] set) {
        for (int i = 0; i < set.length; i += 2) {
            if (set[i] != EMPTY) {
                dropStoreEntry(set, i);
            }
        }
    }

    /** Removes store entry i (valid) and tells the code-write log (after the entry's last store). */
    private void dropStoreEntry(long[] set, int i) {
        long page = (set[i] + set[i + 1]) >>> 12;
        set[i] = EMPTY;
        codeWrites.storeMappingRemoved(page);
    }

    void flushTlbVa(long va) {
        flushTlbPage(va);
    }

    /** Drops the translated entries for the page of va, or for the whole superpage that holds it. */
    private void flushTlbPage(long va) {
        if (superOverflow) {
            flushTranslatedTlb();
            return;
        }
        for (int s = 0; s < superCount; s++) {
            if ((va & ~superMask[s]) == superBase[s]) {
                flushTlbRange(superBase[s], superMask[s]);
            }
        }
        long tag = va & ~0xFFFL;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        for (int s = 0; s < DATA_SETS; s++) {
            if (s != DATA_BARE) {
                if (loadSets[s][i] == tag) {
                    loadSets[s][i] = EMPTY;
                }
                if (storeSets[s][i] == tag) {
                    dropStoreEntry(storeSets[s], i);
                }
            }
        }
        for (int s = 0; s < FETCH_SETS; s++) {
            if (s != FETCH_BARE && fetchSets[s][i] == tag) {
                fetchSets[s][i] = EMPTY;
            }
        }
    }

    private void flushTlbRange(long base, long mask) {
        for (int s = 0; s < DATA_SETS; s++) {
            if (s != DATA_BARE) {
                clearMatching(loadSets[s], base, mask);
                clearMatchingStore(storeSets[s], base, mask);
            }
        }
        for (int s = 0; s < FETCH_SETS; s++) {
            if (s != FETCH_BARE) {
                clearMatching(fetchSets[s], base, mask);
            }
        }
    }

    private static void clearMatching(long[] set, long base, long mask) {
        for (int i = 0; i < set.length; i += 2) {
            if (set[i] != EMPTY && (set[i] & ~mask) == base) {
                set[i] = EMPTY;
            }
        }
    }

    private void clearMatchingStore(long[] set, long base, long mask) {
        for (int i = 0; i < set.length; i += 2) {
            if (set[i] != EMPTY && (set[i] & ~mask) == base) {
                dropStoreEntry(set, i);
            }
        }
    }

    /**
     * Drops every store-TLB entry (all sets) whose RAM page is {@code pageOffset}: the page just
     * became a page table. Returns whether there was one (we may have written through it).
     */
    boolean dropStorePage(long pageOffset) {
        boolean had = false;
        for (long[] set : storeSets) {
            for (int i = 0; i < set.length; i += 2) {
                if (set[i] != EMPTY && set[i] + set[i + 1] == pageOffset) {
                    dropStoreEntry(set, i);
                    had = true;
                }
            }
        }
        return had;
    }

    // --- data accesses: values are zero-extended raw bits; the hart sign-extends ---

    public long load8(long va) {
        long[] t = ld;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFFL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            return seg.get(GuestRam.BYTE, t[i + 1] + va) & 0xFFL;
        }
        return loadSlow(va, 1);
    }

    public long load16(long va) {
        long[] t = ld;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFEL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            return seg.get(GuestRam.SHORT, t[i + 1] + va) & 0xFFFFL;
        }
        return loadSlow(va, 2);
    }

    public long load32(long va) {
        long[] t = ld;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFCL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            return seg.get(GuestRam.INT, t[i + 1] + va) & 0xFFFF_FFFFL;
        }
        return loadSlow(va, 4);
    }

    public long load64(long va) {
        long[] t = ld;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFF8L)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            return seg.get(GuestRam.LONG, t[i + 1] + va);
        }
        return loadSlow(va, 8);
    }

    public void store8(long va, long value) {
        long[] t = st;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFFL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            seg.set(GuestRam.BYTE, t[i + 1] + va, (byte) value);
            return;
        }
        storeSlow(va, 1, value);
    }

    public void store16(long va, long value) {
        long[] t = st;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFEL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            seg.set(GuestRam.SHORT, t[i + 1] + va, (short) value);
            return;
        }
        storeSlow(va, 2, value);
    }

    public void store32(long va, long value) {
        long[] t = st;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFCL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            seg.set(GuestRam.INT, t[i + 1] + va, (int) value);
            return;
        }
        storeSlow(va, 4, value);
    }

    public void store64(long va, long value) {
        long[] t = st;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFF8L)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            seg.set(GuestRam.LONG, t[i + 1] + va, value);
            return;
        }
        storeSlow(va, 8, value);
    }

    /**
     * Translates for an atomic (LR/SC/AMO) of {@code size} bytes and returns the offset into
     * {@link GuestRam#segment()}; the hart then uses GuestRam's atomic accessors.
     * Misaligned → STORE_MISALIGNED (LR: LOAD_MISALIGNED when {@code isLoadReserved}); not RAM → access fault.
     * Marks the page dirty (for SC/AMO).
     *
     * <p>LR is checked as a load (read permission, load page fault), as hardware does; SC and
     * AMOs as stores (spec: AMOs raise store/AMO faults).
     */
    public long translateAtomic(long va, int size, boolean isLoadReserved) {
        if ((va & (size - 1)) != 0) {
            throw fault.set(isLoadReserved ? MemoryFault.LOAD_MISALIGNED : MemoryFault.STORE_MISALIGNED, va);
        }
        long[] t = isLoadReserved ? ld : st;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[i] == (va & ~0xFFFL)) {
            return t[i + 1] + va;
        }
        return atomicSlow(va, isLoadReserved ? AccessType.LOAD : AccessType.STORE);
    }

    // --- instruction fetch ---

    /**
     * Translates pc for execution and returns the offset into {@link GuestRam#segment()} of the
     * byte at pc (fetch from outside RAM → INSTRUCTION_ACCESS_FAULT). Fast path: exec TLB hit.
     * The hart reads the 16-bit parcels itself; for a 32-bit instruction whose second parcel
     * lies in the next page it calls this again for pc+2.
     */
    public long fetchOffset(long pc) {
        long[] t = ex;
        int i = ((int) (pc >>> 12) & TLB_MASK) << 1;
        if (t[i] == (pc & ~0xFFFL)) {
            if (COUNT_HITS) {
                stats.tlbHits++;
            }
            return t[i + 1] + pc;
        }
        return fetchSlow(pc);
    }

    /**
     * For a debugger: the guest-physical address of {@code va} in the hart's current address space
     * (satp, as its instruction fetches see it: Bare or M-mode means va itself), or -1 if no valid
     * leaf maps it. A side-effect-free page walk (privileged spec 4.3.2 steps 1-4 and 6): no
     * permission check, no A/D update, no TLB fill. Call while the hart is not running.
     */
    public long debugTranslate(long va) {
        if (mode == 0 || fetchPriv == PRIV_M) {
            return va;
        }
        PageWalker w = new PageWalker(ram);
        if (w.walkToLeaf(va, rootPpn, PageWalker.levels(mode), null) != PageWalker.OK) {
            return -1;
        }
        return w.physical(va);
    }

    /** Statistics: TLB/shadow hits, misses, fills, invalidations. */
    public MmuStats stats() {
        return stats;
    }

    // ------------------------------------------------------------------------------------
    // Slow paths (kept out of line so the JIT inlines only the tiny fast paths above).
    // ------------------------------------------------------------------------------------

    private long loadSlow(long va, int size) {
        stats.tlbMisses++;
        if ((va & (size - 1)) != 0) {
            return loadMisaligned(va, size);
        }
        long pa = translate(va, AccessType.LOAD);
        long off = ram.offsetOf(pa);
        if (off >= 0) {
            fill(ld, va, off, AccessType.LOAD);
            return memory.readRam(off, size);
        }
        return readMmio(va, pa, size, AccessType.LOAD);
    }

    private void storeSlow(long va, int size, long value) {
        stats.tlbMisses++;
        if ((va & (size - 1)) != 0) {
            storeMisaligned(va, size, value);
            return;
        }
        long pa = translate(va, AccessType.STORE);
        long off = ram.offsetOf(pa);
        if (off < 0) {
            writeMmio(va, pa, size, value);
            return;
        }
        if (pageTables.isTracked(off >>> 12)) {
            // A guest page table: never in the store TLB, so every store to it comes here.
            stats.pageTableStores++;
            shadows.beforeStore(off, size);
            memory.writeRam(off, size, value);
            dirtyLog.markOffset(off);
            codeWrites.noteWritten(off, size);
            shadows.afterStore();
            return;
        }
        memory.writeRam(off, size, value);
        // Mark before filling: a page is in a store TLB only if it is already dirty (DirtyLog).
        dirtyLog.markOffset(off);
        fill(st, va, off, AccessType.STORE);
    }

    private long atomicSlow(long va, int access) {
        stats.tlbMisses++;
        long pa = translate(va, access);
        long off = ram.offsetOf(pa);
        if (off < 0) {
            throw accessFault(access, va);
        }
        if (access == AccessType.STORE) {
            // Marked before the hart's atomic write: safe because the write happens before this
            // hart's next pollFlush, which marks lastAtomicOffset again (see DirtyLog).
            dirtyLog.markOffset(off);
            lastAtomicOffset = off;
            if (pageTables.isTracked(off >>> 12)) {
                stats.pageTableStores++;
                shadows.beforeAtomicStore(off);
                // The hart writes after we return, with no store TLB entry: note it now and again at
                // the next pollFlush, after the write (a page-table page that is also code is odd,
                // but must not leave a stale decoded copy behind a FENCE.I).
                codeWrites.noteWritten(off, 8);
                atomicWriteToNote = off;
                wantAttention();
            } else {
                fill(st, va, off, AccessType.STORE);
            }
        } else {
            fill(ld, va, off, AccessType.LOAD);
        }
        return off;
    }

    private long fetchSlow(long pc) {
        stats.tlbMisses++;
        long pa = translate(pc, AccessType.FETCH);
        long off = ram.offsetOf(pa);
        if (off < 0) {
            throw accessFault(AccessType.FETCH, pc);
        }
        fill(ex, pc, off, AccessType.FETCH);
        return off;
    }

    private long loadMisaligned(long va, int size) {
        long pageEnd = (va | 0xFFFL) + 1;
        int first = (int) Math.min(size, pageEnd - va);
        long pa1 = translate(va, AccessType.LOAD);
        long pa2 = first < size ? translate(pageEnd, AccessType.LOAD) : 0;
        long off1 = ram.offsetOf(pa1);
        long off2 = first < size ? ram.offsetOf(pa2) : 0;
        if (off1 < 0) {
            throw accessFault(AccessType.LOAD, va); // MMIO must be aligned (MmioHandler contract)
        }
        if (off2 < 0) {
            throw accessFault(AccessType.LOAD, pageEnd);
        }
        if (first == size) {
            return memory.readRam(off1, size);
        }
        long v = 0;
        for (int k = 0; k < size; k++) {
            long b = k < first ? ram.getByte(off1 + k) : ram.getByte(off2 + k - first);
            v |= (b & 0xFFL) << (8 * k);
        }
        return v;
    }

    private void storeMisaligned(long va, int size, long value) {
        long pageEnd = (va | 0xFFFL) + 1;
        int first = (int) Math.min(size, pageEnd - va);
        // Both parts are translated (and checked) before anything is written.
        long pa1 = translate(va, AccessType.STORE);
        long pa2 = first < size ? translate(pageEnd, AccessType.STORE) : 0;
        long off1 = ram.offsetOf(pa1);
        long off2 = first < size ? ram.offsetOf(pa2) : 0;
        if (off1 < 0) {
            throw accessFault(AccessType.STORE, va);
        }
        if (off2 < 0) {
            throw accessFault(AccessType.STORE, pageEnd);
        }
        boolean tracked1 = pageTables.isTracked(off1 >>> 12);
        boolean tracked2 = first < size && pageTables.isTracked(off2 >>> 12);
        if (tracked1) {
            shadows.beforeStore(off1, first);
        }
        if (tracked2) {
            shadows.beforeStore(off2, size - first);
        }
        if (first == size) {
            memory.writeRam(off1, size, value);
        } else {
            for (int k = 0; k < size; k++) {
                byte b = (byte) (value >>> (8 * k));
                if (k < first) {
                    ram.putByte(off1 + k, b);
                } else {
                    ram.putByte(off2 + k - first, b);
                }
            }
            dirtyLog.markOffset(off2);
            codeWrites.noteWritten(off2, size - first);
        }
        dirtyLog.markOffset(off1);
        codeWrites.noteWritten(off1, first);
        if (tracked1 || tracked2) {
            stats.pageTableStores++;
            shadows.afterStore();
        }
    }

    private long readMmio(long va, long pa, int size, int access) {
        PhysicalMemory.MmioRegion r = memory.findMmio(pa, size);
        if (r == null) {
            throw accessFault(access, va);
        }
        stats.mmioAccesses++;
        return memory.read(pa, size, access, fault);
    }

    private void writeMmio(long va, long pa, int size, long value) {
        PhysicalMemory.MmioRegion r = memory.findMmio(pa, size);
        if (r == null) {
            throw accessFault(AccessType.STORE, va);
        }
        stats.mmioAccesses++;
        memory.write(pa, size, value, fault);
    }

    private MemoryFault accessFault(int access, long va) {
        stats.accessFaults++;
        return fault.set(AccessType.accessFaultCause(access), va);
    }

    private MemoryFault pageFault(int access, long va) {
        stats.pageFaults++;
        return fault.set(AccessType.pageFaultCause(access), va);
    }

    /**
     * Translates va for an access of this type in the current context (shadow, else guest walk);
     * throws the page or access fault. Leaves {@link #lastLevel} for superpage tracking.
     */
    private long translate(long va, int access) {
        if (attention) {
            // Catch up with other harts' page-table stores before trusting our shadows.
            handleAttention();
        }
        int priv = access == AccessType.FETCH ? fetchPriv : dataPriv;
        if (mode == 0 || priv == PRIV_M) {
            lastLevel = 0;
            return va;
        }
        int r = shadows.translate(va, access, priv, sum, mxr);
        if (r == PageWalker.PAGE_FAULT) {
            throw pageFault(access, va);
        }
        if (r == PageWalker.ACCESS_FAULT) {
            throw accessFault(access, va);
        }
        lastLevel = shadows.level;
        return shadows.pa;
    }

    private int lastLevel;

    /** Puts the page of va → RAM page of off into a TLB set, noting superpages for sfence. */
    private void fill(long[] set, long va, long off, int access) {
        long vpage = va & ~0xFFFL;
        int i = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (set == st) {
            // Store entries are counted per RAM page for the decode caches (CodeWriteLog): the
            // evicted one after its last store, the new one before its first.
            if (set[i] != EMPTY) {
                dropStoreEntry(set, i);
            }
            codeWrites.storeMappingAdded(off >>> 12);
        }
        set[i] = vpage;
        set[i + 1] = (off & ~0xFFFL) - vpage;
        if (access == AccessType.FETCH) {
            fetchUsed[fetchSet] = true;
        } else {
            dataUsed[dataSet] = true;
        }
        stats.tlbFills++;
        if (lastLevel > 0) {
            noteSuperpage(va, (1L << (12 + 9 * lastLevel)) - 1);
        }
    }

    private void noteSuperpage(long va, long mask) {
        long base = va & ~mask;
        for (int s = 0; s < superCount; s++) {
            if (superBase[s] == base && superMask[s] == mask) {
                return;
            }
        }
        if (superCount == superBase.length) {
            superOverflow = true;
            return;
        }
        superBase[superCount] = base;
        superMask[superCount] = mask;
        superCount++;
    }

    // --- introspection for tests and --stats ---

    /** Live shadow address spaces of this hart. */
    public int shadowSpaces() {
        return shadows.liveSpaces();
    }

    /** Shadow entries of this hart over all spaces. */
    public long shadowEntries() {
        return shadows.totalEntries();
    }
}
