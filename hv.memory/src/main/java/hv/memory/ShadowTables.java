package hv.memory;

import java.lang.invoke.VarHandle;

/**
 * One hart's shadow page tables: up to {@value #MAX_SPACES} address spaces ({@link ShadowSpace}),
 * the write-protect bookkeeping that keeps them coherent with the guest's own tables, and LRU
 * reclamation.
 *
 * <p>Coherence without trusting the guest's fences:
 * <ul>
 * <li>Before a walk reads an entry from a page-table page, the page is tracked (locally:
 *     {@link #tableOwners}; globally: {@link PageTableTracker}). A tracked page is never in a store
 *     TLB, so every guest store into it reaches {@link #beforeStore}/{@link #afterStore}, which
 *     compare the old and new entries and invalidate the translations built from the changed ones
 *     here and, by message, on the other harts (processed at their next pollFlush).</li>
 * <li>Tracking before reading closes the race with a concurrent writer: the writer stores, issues
 *     a full fence, then reads the global count; the walker raises the count (an atomic, also a
 *     full fence), then reads the entry. Either the writer sees the count or the walker sees the
 *     new entry.</li>
 * <li>When a page becomes a page table for the first time, other harts may still hold it in a
 *     store TLB from when it was data. They are told to drop it; one that did hold it may have
 *     written it, so it reports the page as rewritten and every hart discards what it built from it.</li>
 * <li>A page stores keep hitting with no walk through it was probably freed and reused as data
 *     (KVM's "write flooding"): after {@value #FLOOD_LIMIT} such stores it is untracked everywhere,
 *     with the translations built from it; the next walk tracks it again if needed.</li>
 * </ul>
 * Changing only A/D bits to 1, or writing an entry that was invalid, needs no invalidation:
 * shadows are only built from valid leaves with A set, and a store needs D set in the shadow.
 */
final class ShadowTables implements PageWalker.TableVisitor {
    static final int MAX_SPACES = 64;
    /** Per-hart bound on shadow entries over all spaces (16 bytes each in the map, at most twice that). */
    static final int MAX_TOTAL_ENTRIES = 1 << 17;
    static final int MAX_ENTRIES_PER_SPACE = 1 << 16;
    static final int MAX_TABLES_PER_SPACE = 1 << 13;
    static final int FLOOD_LIMIT = 32;

    // Cross-hart message kinds (top 3 bits), see encode().
    static final long MSG_PT_WRITE = 1, MSG_ZAP = 2, MSG_DROP_STORE = 3;

    private final Mmu mmu;
    private final GuestRam ram;
    private final PageTableTracker tracker;
    private final PhysicalMemory memory;
    private final MmuStats stats;
    private final PageWalker walker;

    private final ShadowSpace[] spaces = new ShadowSpace[MAX_SPACES];
    private ShadowSpace current;
    private long tick;

    /** RAM page index → bit mask of the slots of spaces that walked through it. */
    private final LongLongMap tableOwners = new LongLongMap(256);
    /** RAM page index → stores into it since this hart last walked through it. */
    private final LongLongMap floodCounts = new LongLongMap(64);

    // --- result of translate ---
    long pa;
    int level;

    // --- old entries captured by beforeStore (up to two pages, two words each) ---
    private final long[] pendingOffsets = new long[4];
    private final long[] pendingOld = new long[4];
    private int pendingCount;

    ShadowTables(Mmu mmu, PhysicalMemory memory, MmuStats stats) {
        this.mmu = mmu;
        this.memory = memory;
        this.ram = memory.ram();
        this.tracker = memory.pageTables();
        this.stats = stats;
        this.walker = new PageWalker(ram);
        for (int i = 0; i < MAX_SPACES; i++) {
            spaces[i] = new ShadowSpace(i);
        }
    }

    ShadowSpace current() {
        return current;
    }

    // ------------------------------------------------------------------ address spaces

    /** Makes (root, asid, mode) the current space, reusing its shadows if it has some (mode 0: none). */
    void select(long rootPpn, int asid, int mode) {
        if (mode == 0) {
            current = null;
            return;
        }
        ShadowSpace victim = null;
        for (ShadowSpace s : spaces) {
            if (s.live && s.root == rootPpn && s.asid == asid && s.mode == mode) {
                s.lastUsed = ++tick;
                current = s;
                return;
            }
            if (!s.live) {
                if (victim == null || victim.live) {
                    victim = s;
                }
            } else if (victim == null || (victim.live && s.lastUsed < victim.lastUsed)) {
                victim = s;
            }
        }
        if (victim.live) {
            stats.spacesReclaimed++;
            release(victim);
        }
        victim.assign(rootPpn, asid, mode);
        victim.lastUsed = ++tick;
        current = victim;
        enforceTotalBound();
    }

    /** Forgets a space: its entries and its claims on page-table pages. */
    private void release(ShadowSpace s) {
        long bit = 1L << s.slot;
        s.tables.forEach((page, position) -> {
            long owners = tableOwners.get(page, 0) & ~bit;
            if (owners == 0) {
                tableOwners.remove(page);
                floodCounts.remove(page);
                tracker.untrack(page);
            } else {
                tableOwners.put(page, owners);
            }
        });
        stats.invalidations += s.clearEntries();
        s.tables.clear();
        s.live = false;
        if (s == current) {
            mmu.flushTranslatedTlb();
        }
    }

    private void enforceTotalBound() {
        for (;;) {
            long total = 0;
            ShadowSpace oldest = null;
            for (ShadowSpace s : spaces) {
                if (s.live) {
                    total += s.entries.size();
                    if (s != current && (oldest == null || s.lastUsed < oldest.lastUsed)) {
                        oldest = s;
                    }
                }
            }
            if (total <= MAX_TOTAL_ENTRIES || oldest == null) {
                return;
            }
            stats.spacesReclaimed++;
            release(oldest);
        }
    }

    /** Live spaces (for tests and stats). */
    int liveSpaces() {
        int n = 0;
        for (ShadowSpace s : spaces) {
            n += s.live ? 1 : 0;
        }
        return n;
    }

    long totalEntries() {
        long n = 0;
        for (ShadowSpace s : spaces) {
            n += s.live ? s.entries.size() : 0;
        }
        return n;
    }

    // ------------------------------------------------------------------ translation

    /**
     * Translates va in the current space: a shadow hit, or a walk that fills the shadow.
     * Returns PageWalker.OK (then {@link #pa} and {@link #level} hold the result), PAGE_FAULT or ACCESS_FAULT.
     */
    int translate(long va, int access, int priv, boolean sum, boolean mxr) {
        ShadowSpace s = current;
        long pte = s.find(va);
        if (pte != LongLongMap.NO_KEY) {
            if (PageWalker.allows(pte, access, priv, sum, mxr)
                    && (access != AccessType.STORE || (pte & PageWalker.PTE_D) != 0)) {
                stats.shadowHits++;
                level = s.foundLevel;
                pa = physical(pte, level, va);
                return PageWalker.OK;
            }
            // Denied or needs D: the guest tables decide, walk them (a fault is never cached).
        }
        stats.shadowMisses++;
        for (;;) {
            int r = walker.walkToLeaf(va, s.root, s.levels, this);
            if (r != PageWalker.OK) {
                return r;
            }
            if (!PageWalker.allows(walker.leafPte, access, priv, sum, mxr)) {
                return PageWalker.PAGE_FAULT;
            }
            if (walker.updateAccessedDirty(access)) {
                break;
            }
            // The PTE changed under us (another hart or an AMO): walk again.
        }
        level = walker.level;
        pa = walker.physical(va);
        long leaf = walker.leafPte;
        if (s.entries.size() >= MAX_ENTRIES_PER_SPACE) {
            stats.invalidations += s.clearEntries();
            mmu.flushTranslatedTlb();
        }
        s.put(va, level, leaf & ~PageWalker.PTE_RESERVED);
        stats.shadowFills++;
        if (s.tables.size() > MAX_TABLES_PER_SPACE) {
            stats.spacesReclaimed++;
            long root = s.root;
            int asid = s.asid;
            int mode = s.mode;
            release(s);
            select(root, asid, mode);
        }
        return PageWalker.OK;
    }

    private static long physical(long pte, int level, long va) {
        long pageMask = (1L << (12 + 9 * level)) - 1;
        return ((((pte >>> 10) & PageWalker.PPN_MASK) << 12) & ~pageMask) | (va & pageMask);
    }

    /** Walk hook: track the table page in the current space before the walker reads from it. */
    @Override
    public void beforeRead(long tablePage, int tableLevel, long va) {
        ShadowSpace s = current;
        long position = s.position(va, tableLevel);
        long old = s.tables.get(tablePage, LongLongMap.NO_KEY);
        floodCounts.remove(tablePage);
        if (old == position || old == ShadowSpace.ALIASED) {
            return;
        }
        if (old == LongLongMap.NO_KEY) {
            s.tables.put(tablePage, position);
            long owners = tableOwners.get(tablePage, 0);
            if (owners == 0) {
                startTracking(tablePage);
            }
            tableOwners.put(tablePage, owners | (1L << s.slot));
            return;
        }
        // The page was seen at another position of this space: freed and reused, or aliased.
        if (stillMapsTable(s, old, tablePage)) {
            s.tables.put(tablePage, ShadowSpace.ALIASED);
        } else {
            stats.invalidations += removeTableCoverage(s, old);
            s.tables.put(tablePage, position);
        }
    }

    private void startTracking(long page) {
        int before = tracker.track(page);
        if (before == 0) {
            // It was data until now: any store TLB may hold it. Ours: drop it now (we wrote it
            // before this walk, so nothing is stale). Others: told to drop and report (class doc).
            mmu.dropStorePage(page << 12);
            broadcast(encode(MSG_DROP_STORE, page, 0));
        }
    }

    /** Does the guest table still lead to {@code page} at {@code position} of space s? */
    private boolean stillMapsTable(ShadowSpace s, long position, long page) {
        int tableLevel = ShadowSpace.positionLevel(position);
        if (tableLevel == s.levels - 1) {
            return page == (s.root & ((1L << 44) - 1)) - (ram.base() >>> 12);
        }
        long va = s.entryVa(position, 0);
        long table = s.root << 12;
        for (int i = s.levels - 1; i > tableLevel; i--) {
            long off = ram.offsetOf(table + (((va >>> (12 + 9 * i)) & 0x1FF) << 3));
            if (off < 0) {
                return false;
            }
            long pte = ram.getLongVolatile(off);
            if ((pte & PageWalker.PTE_V) == 0 || (pte & (PageWalker.PTE_R | PageWalker.PTE_X)) != 0) {
                return false;
            }
            table = ((pte >>> 10) & PageWalker.PPN_MASK) << 12;
        }
        return ram.offsetOf(table) == page << 12;
    }

    /** Removes all entries built through the table at {@code position} (its whole coverage). */
    private int removeTableCoverage(ShadowSpace s, long position) {
        int n;
        if (position == ShadowSpace.ALIASED || ShadowSpace.positionLevel(position) == s.levels - 1) {
            n = s.clearEntries();
        } else {
            n = s.removeRange(s.entryVa(position, 0), 12 + 9 * (ShadowSpace.positionLevel(position) + 1));
        }
        if (n > 0 && s == current) {
            mmu.flushTranslatedTlb();
        }
        return n;
    }

    // ------------------------------------------------------------------ guest stores into page tables

    /**
     * Called before a guest store of {@code length} bytes at RAM offset {@code off} that lies in
     * one tracked page: remembers the old entries it overlaps.
     */
    void beforeStore(long off, int length) {
        long first = off & ~7L;
        long last = (off + length - 1) & ~7L;
        for (long w = first; w <= last && pendingCount < pendingOffsets.length; w += 8) {
            pendingOffsets[pendingCount] = w;
            pendingOld[pendingCount] = ram.getLongVolatile(w);
            pendingCount++;
        }
    }

    /** Called after the store(s) announced by beforeStore: invalidates what the changed entries mapped. */
    void afterStore() {
        int n = pendingCount;
        pendingCount = 0;
        VarHandle.fullFence(); // our store before the count reads below (class doc)
        for (int i = 0; i < n; i++) {
            long off = pendingOffsets[i];
            long page = off >>> 12;
            long now = ram.getLongVolatile(off);
            if (needsInvalidation(pendingOld[i], now)) {
                int index = (int) ((off & 0xFFF) >>> 3);
                entryChanged(page, index, true);
            }
            countFlood(page);
        }
    }

    /**
     * An AMO/SC is about to write the naturally aligned word at {@code off} in a tracked page and
     * we cannot see the result: invalidate here now (before the write, so no refill can read the
     * old value on this hart), and tell the other harts at our next poll (after the write).
     */
    void beforeAtomicStore(long off) {
        long w = off & ~7L;
        long old = ram.getLongVolatile(w);
        long page = w >>> 12;
        if ((old & PageWalker.PTE_V) != 0) {
            entryChanged(page, (int) ((w & 0xFFF) >>> 3), false);
            deferredRemote = encode(MSG_PT_WRITE, page, (int) ((w & 0xFFF) >>> 3));
            mmu.wantAttention();
        }
        countFlood(page);
    }

    private long deferredRemote = -1;

    /** Sends what beforeAtomicStore held back (the hart has done its atomic by now). */
    void flushDeferred() {
        long msg = deferredRemote;
        if (msg != -1) {
            deferredRemote = -1;
            long page = pageOf(msg);
            if (tracker.count(page) > (tableOwners.get(page, 0) != 0 ? 1 : 0)) {
                broadcast(msg);
            }
        }
    }

    static boolean needsInvalidation(long old, long now) {
        if (old == now || (old & PageWalker.PTE_V) == 0) {
            return false;
        }
        if ((old & (PageWalker.PTE_R | PageWalker.PTE_X)) == 0) {
            return true; // a pointer: any change matters (even A/D, which are reserved in pointers)
        }
        // In a leaf, setting A and/or D (the walker's own updates, or the guest doing the same)
        // changes nothing we cached: shadows hold leaves with A set, and a store re-walks unless D is set.
        long ad = PageWalker.PTE_A | PageWalker.PTE_D;
        return (now & ~ad) != (old & ~ad) || (now & old & ad) != (old & ad);
    }

    /** Entry {@code index} of page-table page {@code page} changed: invalidate here, and remotely if asked. */
    private void entryChanged(long page, int index, boolean tellOthers) {
        long owners = tableOwners.get(page, 0);
        if (owners != 0) {
            stats.pageTableWriteInvalidations++;
            invalidateEntry(page, index, owners);
        }
        if (tellOthers && tracker.count(page) > (owners != 0 ? 1 : 0)) {
            broadcast(encode(MSG_PT_WRITE, page, index));
        }
    }

    private void invalidateEntry(long page, int index, long owners) {
        for (long m = owners; m != 0; m &= m - 1) {
            ShadowSpace s = spaces[Long.numberOfTrailingZeros(m)];
            long position = s.tables.get(page, LongLongMap.NO_KEY);
            if (position == LongLongMap.NO_KEY) {
                continue;
            }
            if (position == ShadowSpace.ALIASED) {
                stats.invalidations += s.clearEntries();
                if (s == current) {
                    mmu.flushTranslatedTlb();
                }
                continue;
            }
            int tableLevel = ShadowSpace.positionLevel(position);
            long va = s.entryVa(position, index);
            int removed = s.removeRange(va, 12 + 9 * tableLevel);
            stats.invalidations += removed;
            if (s == current) {
                // The TLB may hold pages of this entry even if the shadow had none (e.g. filled, then shadow cleared).
                if (tableLevel == 0) {
                    mmu.flushTlbVa(va);
                } else {
                    mmu.flushTranslatedTlb();
                }
            }
        }
    }

    private void countFlood(long page) {
        long n = floodCounts.get(page, 0) + 1;
        if (n < FLOOD_LIMIT) {
            if (floodCounts.size() > 4096) {
                floodCounts.clear();
            }
            floodCounts.put(page, n);
            return;
        }
        floodCounts.remove(page);
        stats.floodUntracks++;
        zap(page);
        broadcast(encode(MSG_ZAP, page, 0));
    }

    /** Stops tracking {@code page} on this hart and drops every translation built through it. */
    void zap(long page) {
        long owners = tableOwners.get(page, 0);
        if (owners == 0) {
            return;
        }
        for (long m = owners; m != 0; m &= m - 1) {
            ShadowSpace s = spaces[Long.numberOfTrailingZeros(m)];
            long position = s.tables.get(page, LongLongMap.NO_KEY);
            if (position != LongLongMap.NO_KEY) {
                s.tables.remove(page);
                stats.invalidations += removeTableCoverage(s, position);
            }
        }
        tableOwners.remove(page);
        tracker.untrack(page);
    }

    // ------------------------------------------------------------------ sfence.vma

    void sfence(long va, boolean allVaddr, int asid, boolean allAsid) {
        for (ShadowSpace s : spaces) {
            if (!s.live || (!allAsid && s.asid != asid)) {
                continue;
            }
            stats.invalidations += allVaddr ? s.clearEntries() : s.removeVa(va);
        }
    }

    /** Forgets every space and stops tracking their pages (reset). */
    void releaseAll() {
        for (ShadowSpace s : spaces) {
            if (s.live) {
                release(s);
            }
        }
        current = null;
        floodCounts.clear();
    }

    /** Drops every shadow entry (keeps the tracking): the inbox overflowed. */
    void clearAll() {
        for (ShadowSpace s : spaces) {
            if (s.live) {
                stats.invalidations += s.clearEntries();
            }
        }
    }

    // ------------------------------------------------------------------ messages

    /** A message: kind in bits 63..61, RAM page index in bits 60..9, PTE index in bits 8..0. */
    static long encode(long kind, long page, int index) {
        return (kind << 61) | (page << 9) | index;
    }

    static long pageOf(long msg) {
        return (msg << 3) >>> 12;
    }

    void handle(long msg) {
        long kind = msg >>> 61;
        long page = pageOf(msg);
        int index = (int) (msg & 0x1FF);
        if (kind == MSG_PT_WRITE) {
            long owners = tableOwners.get(page, 0);
            if (owners != 0) {
                stats.pageTableWriteInvalidations++;
                invalidateEntry(page, index, owners);
            }
        } else if (kind == MSG_ZAP) {
            zap(page);
        } else if (kind == MSG_DROP_STORE) {
            if (mmu.dropStorePage(page << 12)) {
                // We may have written it through that entry: nobody may trust what they built from it.
                zap(page);
                broadcast(encode(MSG_ZAP, page, 0));
            }
        }
    }

    private void broadcast(long msg) {
        for (Mmu other : memory.mmus()) {
            if (other != mmu) {
                other.post(msg);
            }
        }
    }
}
