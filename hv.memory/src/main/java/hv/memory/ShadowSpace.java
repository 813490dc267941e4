package hv.memory;

/**
 * The shadow of one guest address space (satp root + ASID + mode): guest-virtual page → the
 * guest's leaf PTE for it (physical page number and R/W/X/U/G/A/D), filled on a miss by walking
 * the guest's tables. Permissions are checked against the leaf at TLB-fill time, so one shadow
 * serves every privilege/SUM/MXR context.
 *
 * <p>Superpages are stored once, keyed at their own level ({@link #key}); a lookup probes only
 * the levels present ({@link #levelMask}). {@link #tables} records, for every page-table page a
 * fill walked through, where it sits in this space (table level and the virtual range it
 * covers), so a write to entry j of that page invalidates exactly the range entry j maps.
 */
final class ShadowSpace {
    /** tables value for a page-table page used at two live positions at once: any write clears the space. */
    static final long ALIASED = -2L;

    final int slot;
    long root;
    int asid;
    int mode;
    int levels;
    long vaMask;
    boolean live;
    long lastUsed;
    int levelMask;
    final LongLongMap entries = new LongLongMap(256);
    /** RAM page index of a page-table page → {@link #position}. */
    final LongLongMap tables = new LongLongMap(64);

    /** Level of the leaf found by the last {@link #find}. */
    int foundLevel;

    ShadowSpace(int slot) {
        this.slot = slot;
    }

    void assign(long root, int asid, int mode) {
        this.root = root;
        this.asid = asid;
        this.mode = mode;
        this.levels = mode - 5;
        this.vaMask = (1L << (12 + 9 * levels)) - 1;
        this.live = true;
        this.levelMask = 0;
        entries.clear();
        tables.clear();
    }

    static long key(long va, int level) {
        return ((va >>> (12 + 9 * level)) << 3) | level;
    }

    /** The leaf PTE mapping va, or NO_KEY; sets {@link #foundLevel}. */
    long find(long va) {
        for (int m = levelMask, level = 0; m != 0; m >>>= 1, level++) {
            if ((m & 1) != 0) {
                long pte = entries.get(key(va, level), LongLongMap.NO_KEY);
                if (pte != LongLongMap.NO_KEY) {
                    foundLevel = level;
                    return pte;
                }
            }
        }
        return LongLongMap.NO_KEY;
    }

    void put(long va, int level, long pte) {
        entries.put(key(va, level), pte);
        levelMask |= 1 << level;
    }

    /** Removes whatever maps va, at every level; returns how many entries went. */
    int removeVa(long va) {
        int n = 0;
        for (int m = levelMask, level = 0; m != 0; m >>>= 1, level++) {
            if ((m & 1) != 0 && entries.remove(key(va, level))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Removes every entry that overlaps the naturally aligned range [start, start + 2^log2size),
     * start canonical. Small ranges probe keys; big ones scan.
     */
    int removeRange(long start, int log2size) {
        if (log2size <= 12) {
            return removeVa(start);
        }
        if (log2size <= 21) {
            int n = 0;
            for (int m = levelMask, level = 0; m != 0; m >>>= 1, level++) {
                if ((m & 1) == 0) {
                    continue;
                }
                int shift = 12 + 9 * level;
                if (shift >= log2size) {
                    n += entries.remove(key(start, level)) ? 1 : 0; // a superpage holding the range
                } else {
                    long count = 1L << (log2size - shift);
                    for (long k = 0; k < count; k++) {
                        n += entries.remove(key(start + (k << shift), level)) ? 1 : 0;
                    }
                }
            }
            return n;
        }
        long size = 1L << log2size;
        long startKeyVa = start;
        return entries.removeIf((k, v) -> {
            int level = (int) (k & 7);
            int shift = 12 + 9 * level;
            long kva = canonical((k >>> 3) << shift);
            // Two naturally aligned power-of-two ranges overlap iff one holds the other's base.
            return Long.compareUnsigned(kva - startKeyVa, size) < 0 || Long.compareUnsigned(startKeyVa - kva, 1L << shift) < 0;
        });
    }

    int clearEntries() {
        int n = entries.size();
        entries.clear();
        levelMask = 0;
        return n;
    }

    /** Sign-extends a VA from this space's width (Sv39: bit 38). */
    long canonical(long va) {
        int shift = 64 - (12 + 9 * levels);
        return (va << shift) >> shift;
    }

    /** Encodes where a table page sits: the level of its entries and the VA its first entry maps. */
    long position(long va, int tableLevel) {
        long coverMask = (1L << (12 + 9 * (tableLevel + 1))) - 1;
        long vaBase = va & ~coverMask & vaMask;
        return ((vaBase >>> 12) << 3) | tableLevel;
    }

    static int positionLevel(long position) {
        return (int) (position & 7);
    }

    /** The canonical VA mapped by entry {@code index} of the table at {@code position}. */
    long entryVa(long position, int index) {
        int level = positionLevel(position);
        long vaBase = (position >>> 3) << 12;
        return canonical(vaBase | ((long) index << (12 + 9 * level)));
    }

    @Override
    public String toString() {
        return String.format("space[slot=%d root=0x%x asid=%d mode=%d entries=%d tables=%d]",
                slot, root, asid, mode, entries.size(), tables.size());
    }
}
