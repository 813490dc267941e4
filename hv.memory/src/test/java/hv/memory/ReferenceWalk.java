package hv.memory;

/**
 * An uncached, from-the-spec translation (privileged spec 4.3.2, Sv39/Sv48/Sv57), written
 * independently of the MMU for the property test. Reads guest RAM directly; never writes it:
 * it reports which A/D bits the access must set instead.
 */
final class ReferenceWalk {
    static final int OK = -1;

    final GuestRam ram;
    // result
    int cause = OK;
    long pa;
    long leafAddr = -1;
    long mustSet;

    ReferenceWalk(GuestRam ram) {
        this.ram = ram;
    }

    private long pteAt(long paddr) {
        return ram.getLong(paddr - ram.base());
    }

    private ReferenceWalk fail(int c) {
        cause = c;
        return this;
    }

    /**
     * @param access 0 fetch, 1 load, 2 store
     * @param priv   effective privilege (0 U, 1 S, 3 M)
     */
    ReferenceWalk translate(long satp, long va, int access, int priv, boolean sum, boolean mxr) {
        cause = OK;
        leafAddr = -1;
        mustSet = 0;
        int mode = (int) (satp >>> 60);
        int pageFault = access == 0 ? 12 : access == 1 ? 13 : 15;
        int accessFault = access == 0 ? 1 : access == 1 ? 5 : 7;
        if (priv == 3 || mode == 0) {
            pa = va;
            return this;
        }
        int levels = mode == 8 ? 3 : mode == 9 ? 4 : 5;
        int vaBits = 12 + 9 * levels;
        // Bits above the VA width must copy the top VA bit.
        long top = va >> (vaBits - 1);
        if (top != 0 && top != -1) {
            return fail(pageFault);
        }
        long a = (satp & ((1L << 44) - 1)) * 4096;
        int i = levels - 1;
        long pte;
        long pteAddr;
        while (true) {
            long vpn = (va >>> (12 + 9 * i)) & 511;
            pteAddr = a + vpn * 8;
            if (!ram.contains(pteAddr, 8)) {
                return fail(accessFault);
            }
            pte = pteAt(pteAddr);
            boolean v = (pte & 1) != 0, r = (pte & 2) != 0, w = (pte & 4) != 0, x = (pte & 8) != 0;
            if (!v || (!r && w) || (pte >>> 54) != 0) {
                return fail(pageFault);
            }
            if (r || x) {
                break;
            }
            if ((pte & (16 | 64 | 128)) != 0) { // U, A, D reserved in pointers
                return fail(pageFault);
            }
            i = i - 1;
            if (i < 0) {
                return fail(pageFault);
            }
            a = ((pte >>> 10) & ((1L << 44) - 1)) * 4096;
        }
        boolean r = (pte & 2) != 0, w = (pte & 4) != 0, x = (pte & 8) != 0, u = (pte & 16) != 0;
        boolean allowed;
        if (access == 0) {
            allowed = x;
        } else if (access == 1) {
            allowed = r || (x && mxr);
        } else {
            allowed = w;
        }
        if (priv == 0 && !u) {
            allowed = false;
        }
        if (priv == 1 && u && (access == 0 || !sum)) {
            allowed = false;
        }
        if (!allowed) {
            return fail(pageFault);
        }
        long ppn = (pte >>> 10) & ((1L << 44) - 1);
        for (int k = 0; k < i; k++) {
            if (((ppn >>> (9 * k)) & 511) != 0) {
                return fail(pageFault);
            }
        }
        mustSet = 64 | (access == 2 ? 128 : 0);
        leafAddr = pteAddr;
        long offsetBits = 12 + 9L * i;
        long mask = (1L << offsetBits) - 1;
        pa = ((ppn << 12) & ~mask) | (va & mask);
        return this;
    }
}
