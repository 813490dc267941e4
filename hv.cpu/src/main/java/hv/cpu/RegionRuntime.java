package hv.cpu;

import hv.memory.Mmu;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The out-of-line parts of translated code: guest loads and stores (the MMU's TLB fast path, as in
 * {@code Hart.fast}, then the MMU itself, which throws the hart's MemoryFault) and a few operations
 * that are simpler as a method. All small and static so that HotSpot inlines them into the region's
 * compiled method; generated code calls them by name (see {@link RegionEmitter}), so keep the
 * signatures in sync with the descriptors there.
 */
final class RegionRuntime {
    private RegionRuntime() {
    }

    // Also read by translated code (getstatic: constants for HotSpot).
    static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final int TLB_MASK = Mmu.TLB_INDEX_MASK;

    // A TLB entry is {tag, addend}: the tag is the virtual page, so comparing it with the address
    // with its low bits cleared except the ones that make it misaligned checks page and alignment at
    // once (a misaligned access takes the MMU path, which handles it).

    /** The crossing check of a region that spans two pages (see {@link Hart#crossInto}): 1 = go on. */
    static int crossInto(Hart h, long vpage, byte[] bytes) {
        return h.crossInto(vpage, bytes) ? 1 : 0;
    }

    static long lb(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xfffL)) {
            return h.seg.get(BYTE, t[ti + 1] + va);
        }
        return (byte) h.mmu.load8(va);
    }

    static long lbu(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xfffL)) {
            return h.seg.get(BYTE, t[ti + 1] + va) & 0xffL;
        }
        return h.mmu.load8(va);
    }

    static long lh(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffeL)) {
            return h.seg.get(LE_SHORT, t[ti + 1] + va);
        }
        return (short) h.mmu.load16(va);
    }

    static long lhu(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffeL)) {
            return h.seg.get(LE_SHORT, t[ti + 1] + va) & 0xffffL;
        }
        return h.mmu.load16(va);
    }

    static long lw(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffcL)) {
            return h.seg.get(LE_INT, t[ti + 1] + va);
        }
        return (int) h.mmu.load32(va);
    }

    static long lwu(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffcL)) {
            return h.seg.get(LE_INT, t[ti + 1] + va) & 0xffff_ffffL;
        }
        return h.mmu.load32(va);
    }

    static long ld(Hart h, long va) {
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xff8L)) {
            return h.seg.get(LE_LONG, t[ti + 1] + va);
        }
        return h.mmu.load64(va);
    }

    static void sb(Hart h, long va, long v) {
        long[] t = h.stTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xfffL)) {
            h.seg.set(BYTE, t[ti + 1] + va, (byte) v);
        } else {
            h.mmu.store8(va, v);
        }
    }

    static void sh(Hart h, long va, long v) {
        long[] t = h.stTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffeL)) {
            h.seg.set(LE_SHORT, t[ti + 1] + va, (short) v);
        } else {
            h.mmu.store16(va, v);
        }
    }

    static void sw(Hart h, long va, long v) {
        long[] t = h.stTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xffcL)) {
            h.seg.set(LE_INT, t[ti + 1] + va, (int) v);
        } else {
            h.mmu.store32(va, v);
        }
    }

    static void sd(Hart h, long va, long v) {
        long[] t = h.stTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        if (t[ti] == (va & ~0xff8L)) {
            h.seg.set(LE_LONG, t[ti + 1] + va, v);
        } else {
            h.mmu.store64(va, v);
        }
    }

    // FP loads/stores (F/D: need mstatus.FS != Off, else illegal instruction; a load makes FS Dirty,
    // unprivileged spec 11.2 / privileged spec 3.1.6.6). Singles are NaN-boxed in the 64-bit f register.

    static void flw(Hart h, long va, int rd) {
        h.requireFpu();
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        long v = t[ti] == (va & ~0xffcL) ? h.seg.get(LE_INT, t[ti + 1] + va) : h.mmu.load32(va);
        h.f[rd] = v | 0xffff_ffff_0000_0000L;
        h.mstatus |= Csr.MSTATUS_FS_DIRTY;
    }

    static void fld(Hart h, long va, int rd) {
        h.requireFpu();
        long[] t = h.ldTlb;
        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
        h.f[rd] = t[ti] == (va & ~0xff8L) ? h.seg.get(LE_LONG, t[ti + 1] + va) : h.mmu.load64(va);
        h.mstatus |= Csr.MSTATUS_FS_DIRTY;
    }

    static void fsw(Hart h, long va, int rs2) {
        h.requireFpu();
        sw(h, va, h.f[rs2]);
    }

    static void fsd(Hart h, long va, int rs2) {
        h.requireFpu();
        sd(h, va, h.f[rs2]);
    }

    // --- CSR instructions (see RegionScanner.csrKind for which ones a region contains) ---

    /** Mode bits of mstatus that the MMU's data context depends on (privileged spec 3.1.6.3). */
    private static final long MMU_CONTEXT_BITS = Csr.MSTATUS_MPRV | Csr.MSTATUS_MPP | Csr.MSTATUS_SUM | Csr.MSTATUS_MXR;

    /**
     * A CSR read, or a write that changes nothing a region depends on. {@code src}: rs1's value or
     * the uimm; {@code executed}: instructions retired before this one in this Hart.loop (counters).
     * Returns the old value (rd); throws the hart's MemoryFault for an illegal access.
     */
    static long csr(Hart h, long e, long src, long executed) {
        return Csr.access(h, e, src, executed);
    }

    /**
     * A CSR write that may enable a pending interrupt or change the data MMU's context: after it,
     * sets {@link Hart#jitCsrExit} (the region exits after this instruction) and asks Hart.loop for a
     * block boundary when an interrupt is now pending and enabled, or when the TLB arrays or the MMU
     * context bits changed (the region holds the TLB arrays in locals). Otherwise the region goes on.
     */
    static long csrChecked(Hart h, long e, long src, long executed) {
        long[] ld = h.ldTlb, st = h.stTlb;
        long status = h.mstatus;
        long old = Csr.access(h, e, src, executed);
        if (h.ldTlb != ld || h.stTlb != st || ((h.mstatus ^ status) & MMU_CONTEXT_BITS) != 0 || h.pendingInterrupt() >= 0) {
            h.jitCsrExit = 1;
            h.requestBoundary();
        }
        return old;
    }

    // --- Zbb unsigned min/max (unprivileged spec, "B" chapter: maxu/minu compare as unsigned) ---

    static long maxu(long a, long b) {
        return a + Long.MIN_VALUE >= b + Long.MIN_VALUE ? a : b;
    }

    static long minu(long a, long b) {
        return a + Long.MIN_VALUE <= b + Long.MIN_VALUE ? a : b;
    }
}
