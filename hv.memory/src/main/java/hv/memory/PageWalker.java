package hv.memory;

/**
 * The hardware page-table walk of the privileged spec, section 4.3.2 (Sv39/Sv48/Sv57 only differ
 * in the number of levels, 4.4-4.6). Split in two so shadows can reuse the first half:
 * {@link #walkToLeaf} does steps 1-4 and 6 (find a valid leaf, reserved bits, misaligned
 * superpage), {@link #allows} is step 5 (permissions, which depend on the privilege, SUM and MXR
 * of the moment), and {@link #updateAccessedDirty} is step 7 (A/D with compare-and-swap).
 *
 * <p>Reused per hart: results are left in fields instead of allocated.
 */
final class PageWalker {
    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;
    /** Bits 63:54: N (Svnapot), PBMT (Svpbmt) and reserved bits. We implement neither extension, so all must be 0. */
    static final long PTE_RESERVED = 0xFFC0_0000_0000_0000L;
    static final long PPN_MASK = (1L << 44) - 1;

    /** Walk outcomes besides success. */
    static final int OK = 0, PAGE_FAULT = 1, ACCESS_FAULT = 2;

    private final GuestRam ram;

    // --- result of the last walkToLeaf ---
    long leafPte;
    /** RAM offset of the leaf PTE. */
    long leafOffset;
    /** 0 = 4 KiB page, 1 = 2 MiB, 2 = 1 GiB, 3 = 512 GiB, 4 = 256 TiB. */
    int level;

    /** Told about each page-table page before the walk reads an entry from it (write-protect tracking). */
    interface TableVisitor {
        void beforeRead(long tablePage, int tableLevel, long va);
    }

    PageWalker(GuestRam ram) {
        this.ram = ram;
    }

    /** Levels of a satp MODE: Sv39 = 3, Sv48 = 4, Sv57 = 5. */
    static int levels(int mode) {
        return mode - 5;
    }

    /** True when va is canonical for the mode: bits 63..VABITS-1 all equal (spec 4.4.1 etc.). */
    static boolean canonical(long va, int levels) {
        int shift = 64 - (12 + 9 * levels);
        return (va << shift) >> shift == va;
    }

    /** Steps 1-4 and 6. Returns OK, PAGE_FAULT or ACCESS_FAULT; on OK the result fields hold the leaf. */
    int walkToLeaf(long va, long rootPpn, int levels, TableVisitor visitor) {
        if (!canonical(va, levels)) {
            return PAGE_FAULT;
        }
        long table = rootPpn << 12;
        for (int i = levels - 1; ; i--) {
            long pteAddr = table + (((va >>> (12 + 9 * i)) & 0x1FF) << 3);
            long off = ram.offsetOf(pteAddr);
            if (off < 0) {
                return ACCESS_FAULT; // step 2: the PTE is not in RAM (a PMA violation)
            }
            if (visitor != null) {
                // Before the read: a store that lands after it must see the page tracked (see ShadowTables).
                visitor.beforeRead(off >>> 12, i, va);
            }
            long pte = ram.getLongVolatile(off);
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte & PTE_RESERVED) != 0) {
                return PAGE_FAULT; // step 3
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) != 0) { // step 4: a leaf
                if (i > 0 && (ppn & ((1L << (9 * i)) - 1)) != 0) {
                    return PAGE_FAULT; // step 6: misaligned superpage
                }
                leafPte = pte;
                leafOffset = off;
                level = i;
                return OK;
            }
            // Non-leaf: D, A and U are reserved for future use and must be zero (spec 4.3.1).
            if ((pte & (PTE_A | PTE_D | PTE_U)) != 0 || i == 0) {
                return PAGE_FAULT;
            }
            table = ppn << 12;
        }
    }

    /** Step 5: may an access of this type, at this privilege, with SUM/MXR, use a leaf with these flags? */
    static boolean allows(long pte, int access, int priv, boolean sum, boolean mxr) {
        boolean ok = switch (access) {
            case AccessType.FETCH -> (pte & PTE_X) != 0;
            case AccessType.LOAD -> (pte & PTE_R) != 0 || (mxr && (pte & PTE_X) != 0);
            default -> (pte & PTE_W) != 0;
        };
        if (!ok) {
            return false;
        }
        if ((pte & PTE_U) != 0) {
            // S-mode never executes user pages and reads/writes them only with SUM (4.1.1.2).
            return priv != Mmu.PRIV_S || (access != AccessType.FETCH && sum);
        }
        return priv != Mmu.PRIV_U;
    }

    /**
     * Step 7: sets A (and D for a store) with a compare-and-swap on the leaf PTE, atomically with
     * respect to other harts and the guest's own AMOs on the PTE. Returns false when the PTE
     * changed since it was read: the caller must walk again, since the new PTE may not allow
     * the access (spec: the update must be atomic with the checks).
     */
    boolean updateAccessedDirty(int access) {
        long need = PTE_A | (access == AccessType.STORE ? PTE_D : 0);
        if ((leafPte & need) == need) {
            return true;
        }
        long updated = leafPte | need;
        if (ram.compareAndExchangeLong(leafOffset, leafPte, updated) != leafPte) {
            return false;
        }
        leafPte = updated;
        ram.dirtyLog().markOffset(leafOffset);
        return true;
    }

    /** The guest-physical address of va through the current leaf. */
    long physical(long va) {
        long pageMask = (1L << (12 + 9 * level)) - 1;
        return ((((leafPte >>> 10) & PPN_MASK) << 12) & ~pageMask) | (va & pageMask);
    }
}
