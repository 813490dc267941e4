package hv.memory;

/**
 * Test helper: builds Sv39/Sv48/Sv57 page tables in guest RAM the way a guest kernel would,
 * taking table pages from a bump allocator in a reserved area.
 */
final class GuestPageTables {
    static final long V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128;

    final GuestRam ram;
    final int mode;
    final int levels;
    final long root;
    private long next;
    private final long end;

    /** Tables are allocated from [areaBase, areaBase + areaSize) (guest-physical). */
    GuestPageTables(GuestRam ram, int mode, long areaBase, long areaSize) {
        this.ram = ram;
        this.mode = mode;
        this.levels = mode - 5;
        this.next = areaBase;
        this.end = areaBase + areaSize;
        this.root = allocTable();
    }

    long allocTable() {
        if (next >= end) {
            throw new IllegalStateException("page-table area exhausted");
        }
        long t = next;
        next += 4096;
        ram.write(t, new byte[4096]);
        return t;
    }

    long satp(int asid) {
        return ((long) mode << 60) | ((long) asid << 44) | (root >>> 12);
    }

    static long pte(long pa, long flags) {
        return ((pa >>> 12) << 10) | flags;
    }

    /** Physical address of the PTE slot for va at {@code level}, creating intermediate tables. */
    long slot(long va, int level) {
        long table = root;
        for (int i = levels - 1; ; i--) {
            long slot = table + (((va >>> (12 + 9 * i)) & 0x1FF) << 3);
            if (i == level) {
                return slot;
            }
            long pte = ram.getLong(slot - ram.base());
            if ((pte & V) == 0 || (pte & (R | X)) != 0) {
                long t = allocTable();
                ram.putLong(slot - ram.base(), pte(t, V));
                table = t;
            } else {
                table = ((pte >>> 10) << 12);
            }
        }
    }

    /** Maps the page (level 0 = 4K, 1 = 2M, 2 = 1G ...) holding va to pa with the given flags (V added). */
    long map(long va, long pa, int level, long flags) {
        long slot = slot(va, level);
        ram.putLong(slot - ram.base(), pte(pa, flags | V));
        return slot;
    }

    long map(long va, long pa, long flags) {
        return map(va, pa, 0, flags);
    }

    long readPte(long slot) {
        return ram.getLong(slot - ram.base());
    }

    void writePte(long slot, long pte) {
        ram.putLong(slot - ram.base(), pte);
    }
}
