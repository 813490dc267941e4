package hv.procvm.mem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The address space of one guest process: a list of {@link Vma}s and the Sv39 page tables that
 * the harts' MMUs walk (privileged spec 4.4), built and edited by the runtime, which plays the
 * kernel.
 *
 * <p>Pages are populated lazily: a VMA only reserves a range; the first access to a page that is
 * not present exits the hart with a page fault, and {@link #handleFault} gives it a zeroed frame
 * when the VMA allows the access (otherwise the fault becomes SIGSEGV). Kernel-side accesses
 * (copying system-call buffers) walk the same tables in software and populate the same way, with
 * the VMA's protection checked as copy_to_user/copy_from_user would (EFAULT).
 *
 * <p>Leaf PTEs always carry U, A and D (the runtime never needs the walker to track them, which
 * keeps the walker from writing our tables). A frame that is backed but inaccessible (PROT_NONE
 * after mprotect) is kept in an invalid PTE with the software bit {@link #PTE_BACKED}: the
 * hardware ignores every other bit of an invalid PTE (spec 4.3.1), so the frame survives a later
 * mprotect back to readable.
 *
 * <p>Threads share one instance; every mutation holds this object's monitor. After an unmap or a
 * permission downgrade the attached harts' TLBs are flushed through {@link TlbShootdown}.
 */
public final class AddressSpace {
    /** First address above the Sv39 lower half: user addresses are below it. */
    public static final long USER_END = 0x40_0000_0000L;
    public static final int PAGE = PhysicalPages.PAGE_SIZE;

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
    /** RSW bit 8: an invalid PTE that still owns its frame (PROT_NONE). */
    static final long PTE_BACKED = 256;
    private static final long PPN_MASK = (1L << 44) - 1;
    private static final long SATP_MODE_SV39 = 8L;
    private static final VarHandle PTE = ValueLayout.JAVA_LONG.varHandle();

    /** Fetch, load or store (the MMU's access types). */
    public static final int FETCH = 0, LOAD = 1, STORE = 2;

    /** Flushes one hart's cached translations of this address space. Must be thread-safe. */
    public interface TlbShootdown {
        void flushAll();

        /** Executable memory appeared or was re-filled: decoded instructions must be revalidated. */
        void codeChanged();
    }

    private final PhysicalPages pages;
    private final MemorySegment ram;
    private final long rootPa;
    private final int asid;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final List<TlbShootdown> harts = new CopyOnWriteArrayList<>();
    private int tablePages;
    private long brkStart;
    private long brkEnd;
    private long mmapTop = 0x3f_c000_0000L;
    private volatile boolean destroyed;
    private long faultsServed;

    public AddressSpace(PhysicalPages pages, int asid) {
        this.pages = pages;
        this.ram = pages.ram();
        this.asid = asid & 0xffff;
        this.rootPa = allocTable();
    }

    /** The satp value that selects this address space (Sv39, our ASID, the root table). */
    public long satp() {
        return (SATP_MODE_SV39 << 60) | ((long) asid << 44) | (rootPa >>> 12);
    }

    public int asid() {
        return asid;
    }

    public PhysicalPages pages() {
        return pages;
    }

    public void attach(TlbShootdown hart) {
        harts.add(hart);
    }

    public void detach(TlbShootdown hart) {
        harts.remove(hart);
    }

    private void shootdown() {
        for (TlbShootdown h : harts) {
            h.flushAll();
        }
    }

    private void codeChanged() {
        for (TlbShootdown h : harts) {
            h.codeChanged();
        }
    }

    public synchronized long faultsServed() {
        return faultsServed;
    }

    // ------------------------------------------------------------------ page tables

    private long allocTable() {
        long pa = pages.allocate();
        if (pa < 0) {
            throw new OutOfGuestMemoryException();
        }
        tablePages++;
        return pa;
    }

    private long getPte(long slotPa) {
        return (long) PTE.getVolatile(ram, pages.offset(slotPa));
    }

    private void setPte(long slotPa, long value) {
        pages.writePte(slotPa, value);
    }

    private static long ptePa(long pte) {
        return ((pte >>> 10) & PPN_MASK) << 12;
    }

    /** The physical address of the leaf slot for va, or -1 if a table on the way is missing. */
    private long leafSlot(long va, boolean create) {
        long table = rootPa;
        for (int level = 2; level > 0; level--) {
            long slot = table + ((va >>> (12 + 9 * level)) & 0x1ff) * 8;
            long pte = getPte(slot);
            if ((pte & PTE_V) == 0) {
                if (!create) {
                    return -1;
                }
                long t = allocTable();
                setPte(slot, ((t >>> 12) << 10) | PTE_V);
                table = t;
            } else {
                table = ptePa(pte);
            }
        }
        return table + ((va >>> 12) & 0x1ff) * 8;
    }

    private static long permBits(int prot) {
        long bits = 0;
        if ((prot & (Prot.READ | Prot.WRITE)) != 0) {
            bits |= PTE_R; // W without R is reserved (spec 4.3.1): writable pages are readable
        }
        if ((prot & Prot.WRITE) != 0) {
            bits |= PTE_W;
        }
        if ((prot & Prot.EXEC) != 0) {
            bits |= PTE_X;
        }
        return bits;
    }

    private static long leaf(long pa, int prot) {
        long perms = permBits(prot);
        long ppn = (pa >>> 12) << 10;
        return perms == 0 ? ppn | PTE_BACKED : ppn | perms | PTE_V | PTE_U | PTE_A | PTE_D;
    }

    private static boolean backed(long pte) {
        return (pte & (PTE_V | PTE_BACKED)) != 0;
    }

    /** Visits every backed leaf in [start, end), skipping absent tables. */
    private interface LeafVisitor {
        void visit(long va, long slot, long pte);
    }

    private void forEachLeaf(long start, long end, LeafVisitor visitor) {
        walk(rootPa, 2, 0, start, end, visitor);
    }

    private void walk(long table, int level, long vaBase, long start, long end, LeafVisitor visitor) {
        long span = 1L << (12 + 9 * level);
        int first = (int) Math.max(0, (start - vaBase) / span);
        for (int i = first; i < 512; i++) {
            long va = vaBase + i * span;
            if (va >= end) {
                return;
            }
            if (va + span <= start) {
                continue;
            }
            long slot = table + i * 8L;
            long pte = getPte(slot);
            if (level == 0) {
                if (backed(pte)) {
                    visitor.visit(va, slot, pte);
                }
            } else if ((pte & PTE_V) != 0) {
                walk(ptePa(pte), level - 1, va, start, end, visitor);
            }
        }
    }

    private void freeTables(long table, int level) {
        for (int i = 0; i < 512; i++) {
            long pte = getPte(table + i * 8L);
            if (level == 0) {
                if (backed(pte)) {
                    pages.release(ptePa(pte));
                }
            } else if ((pte & PTE_V) != 0) {
                freeTables(ptePa(pte), level - 1);
            }
        }
        pages.release(table);
    }

    /** Releases every frame and table. The address space must not be used afterwards. */
    public boolean destroyed() {
        return destroyed;
    }

    public synchronized void destroy() {
        if (!destroyed) {
            destroyed = true;
            freeTables(rootPa, 2);
            vmas.clear();
            tablePages = 0;
        }
    }

    /** Table pages in use (root included). */
    public synchronized int tablePages() {
        return tablePages;
    }

    // ------------------------------------------------------------------ VMAs

    public synchronized Vma vmaAt(long va) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        return e != null && e.getValue().end > va ? e.getValue() : null;
    }

    public synchronized List<Vma> vmas() {
        List<Vma> copy = new ArrayList<>();
        for (Vma v : vmas.values()) {
            copy.add(v.copy(v.start, v.end));
        }
        return copy;
    }

    private static void checkRange(long start, long end) {
        if ((start & (PAGE - 1)) != 0 || (end & (PAGE - 1)) != 0 || start < 0 || end > USER_END || start >= end) {
            throw new IllegalArgumentException(String.format("bad range %x-%x", start, end));
        }
    }

    /** Splits VMAs so that no VMA straddles {@code at}. */
    private void splitAt(long at) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(at);
        if (e != null) {
            Vma v = e.getValue();
            if (v.start < at && v.end > at) {
                Vma tail = v.copy(at, v.end);
                v.end = at;
                vmas.put(at, tail);
            }
        }
    }

    /** Whether [start, end) overlaps no VMA. */
    public synchronized boolean isFree(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e == null || e.getValue().end <= start;
    }

    /**
     * Maps a new VMA over [start, end), replacing whatever was there (MAP_FIXED semantics).
     * Pages are populated lazily.
     */
    public synchronized Vma map(long start, long end, int prot, int kind, String name) {
        checkRange(start, end);
        unmapLocked(start, end);
        Vma v = new Vma(start, end, prot, kind, name);
        vmas.put(start, v);
        if ((prot & Prot.EXEC) != 0) {
            codeChanged();
        }
        return v;
    }

    /** munmap: removes VMAs and frees frames in [start, end). Unmapped holes are fine (POSIX). */
    public synchronized void unmap(long start, long end) {
        checkRange(start, end);
        unmapLocked(start, end);
        shootdown();
    }

    private void unmapLocked(long start, long end) {
        splitAt(start);
        splitAt(end);
        vmas.subMap(start, true, end, false).clear();
        forEachLeaf(start, end, (va, slot, pte) -> {
            setPte(slot, 0);
            pages.release(ptePa(pte));
        });
    }

    /**
     * madvise(MADV_DONTNEED) on private memory: the frames go away, the VMA stays, and the next
     * touch sees zero-filled pages again (shared pages are left alone, as their contents persist).
     */
    public synchronized void discard(long start, long end) {
        checkRange(start, end);
        forEachLeaf(start, end, (va, slot, pte) -> {
            Vma v = vmaAt(va);
            if (v != null && v.kind == Vma.PRIVATE) {
                setPte(slot, 0);
                pages.release(ptePa(pte));
            }
        });
        shootdown();
    }

    /**
     * mprotect: changes the protection of [start, end), which must be covered by VMAs entirely
     * (returns false otherwise, ENOMEM).
     */
    public synchronized boolean protect(long start, long end, int prot) {
        checkRange(start, end);
        long at = start;
        Long from = vmas.floorKey(start);
        for (Vma v : vmas.tailMap(from == null ? start : from, true).values()) {
            if (v.start >= end || at >= end) {
                break;
            }
            if (v.end <= at) {
                continue;
            }
            if (v.start > at) {
                return false;
            }
            at = v.end;
        }
        if (at < end) {
            return false;
        }
        splitAt(start);
        splitAt(end);
        for (Vma v : vmas.subMap(start, true, end, false).values()) {
            v.prot = prot;
        }
        forEachLeaf(start, end, (va, slot, pte) -> {
            long pa = ptePa(pte);
            if ((prot & Prot.WRITE) != 0 && vmaAt(va).kind == Vma.PRIVATE) {
                pa = unshare(pa);
            }
            setPte(slot, leaf(pa, prot));
        });
        shootdown();
        if ((prot & Prot.EXEC) != 0) {
            codeChanged();
        }
        return true;
    }

    /**
     * A private page about to become writable must not share its frame: read-only private pages
     * share frames with forked children and with the program image they were loaded from
     * ({@link #fork}), so the writer gets its own copy first (a copy-on-write done eagerly, at
     * the mprotect). Returns the frame the page should use.
     */
    private long unshare(long pa) {
        if (pages.refCount(pa) <= 1) {
            return pa;
        }
        long copy = pages.allocate();
        if (copy < 0) {
            throw new OutOfGuestMemoryException();
        }
        pages.copyFrame(pa, copy);
        pages.release(pa);
        return copy;
    }

    /**
     * Finds a free range of {@code len} bytes: at {@code hint} when that is page-aligned and free,
     * otherwise the highest free range below the mmap top (top-down, as Linux's default layout).
     * Returns -1 when there is none.
     */
    public synchronized long findFree(long len, long hint) {
        if (len <= 0 || len > USER_END) {
            return -1;
        }
        if (hint != 0 && (hint & (PAGE - 1)) == 0 && hint + len <= USER_END && hint >= 0x10000 && isFree(hint, hint + len)) {
            return hint;
        }
        long top = mmapTop;
        for (Vma v : vmas.headMap(top, false).descendingMap().values()) {
            if (v.end <= top && top - v.end >= len) {
                return top - len;
            }
            top = Math.min(top, v.start);
        }
        return top - len >= 0x10000 ? top - len : -1;
    }

    /**
     * mmap without MAP_FIXED: finds a free range (as {@link #findFree}) and maps it, atomically,
     * so that two threads mapping at once cannot be given the same range. Returns -1 if none.
     */
    public synchronized long mapAnywhere(long len, long hint, int prot, int kind, String name) {
        long start = findFree(len, hint);
        if (start >= 0) {
            map(start, start + len, prot, kind, name);
        }
        return start;
    }

    /**
     * mremap with MREMAP_MAYMOVE when growing in place is impossible: moves the pages to a new
     * free range of newLen bytes, atomically. Returns the new start, or -1 if there is no room.
     */
    public synchronized long moveAnywhere(long oldStart, long oldLen, long newLen) {
        long dst = findFree(newLen, 0);
        if (dst < 0) {
            return -1;
        }
        move(oldStart, oldLen, dst);
        growInPlace(dst, dst + oldLen, dst + newLen);
        return dst;
    }

    /** Sets the top of the top-down mmap area (just below the stack). */
    public synchronized void setMmapTop(long top) {
        this.mmapTop = top;
    }

    /** Moves the pages of [oldStart, oldStart+len) to newStart (mremap MAYMOVE), keeping frames. */
    public synchronized void move(long oldStart, long len, long newStart) {
        checkRange(oldStart, oldStart + len);
        checkRange(newStart, newStart + len);
        Vma src = vmaAt(oldStart);
        if (src == null) {
            throw new IllegalArgumentException("move from unmapped range");
        }
        unmapLocked(newStart, newStart + len);
        Vma moved = new Vma(newStart, newStart + len, src.prot, src.kind, src.name);
        List<long[]> frames = new ArrayList<>();
        forEachLeaf(oldStart, oldStart + len, (va, slot, pte) -> {
            frames.add(new long[] {va - oldStart, pte});
            setPte(slot, 0);
        });
        splitAt(oldStart);
        splitAt(oldStart + len);
        vmas.subMap(oldStart, true, oldStart + len, false).clear();
        vmas.put(newStart, moved);
        for (long[] f : frames) {
            setPte(leafSlot(newStart + f[0], true), f[1]);
        }
        shootdown();
    }

    /** Extends the VMA ending at {@code end} up to {@code newEnd} (mremap grow in place). */
    public synchronized boolean growInPlace(long start, long end, long newEnd) {
        Vma v = vmaAt(end - 1);
        if (v == null || v.end != end || v.start > start || !isFree(end, newEnd) || newEnd > USER_END) {
            return false;
        }
        v.end = newEnd;
        return true;
    }

    // ------------------------------------------------------------------ brk

    /** Sets the program break area's start (end of the loaded image, page-aligned). */
    public synchronized void initBrk(long start) {
        brkStart = start;
        brkEnd = start;
    }

    public synchronized long brkEnd() {
        return brkEnd;
    }

    /**
     * brk(2): moves the break; returns the (possibly unchanged) break, as the Linux syscall does.
     * The heap is the anonymous VMA [brkStart, pageUp(brkEnd)).
     */
    public synchronized long brk(long newEnd) {
        if (newEnd < brkStart || newEnd >= USER_END) {
            return brkEnd;
        }
        long oldTop = pageUp(brkEnd);
        long newTop = pageUp(newEnd);
        if (newTop > oldTop) {
            if (!isFree(oldTop, newTop)) {
                return brkEnd;
            }
            Vma below = oldTop > brkStart ? vmaAt(oldTop - 1) : null;
            if (below != null && "[heap]".equals(below.name)) {
                below.end = newTop;
            } else {
                vmas.put(oldTop, new Vma(oldTop, newTop, Prot.RW, Vma.PRIVATE, "[heap]"));
            }
        } else if (newTop < oldTop) {
            unmapLocked(newTop, oldTop);
            shootdown();
        }
        brkEnd = newEnd;
        return brkEnd;
    }

    public static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    public static long pageDown(long v) {
        return v & -PAGE;
    }

    // ------------------------------------------------------------------ faults

    private static boolean allows(int prot, int access) {
        return switch (access) {
            case FETCH -> (prot & Prot.EXEC) != 0;
            case STORE -> (prot & Prot.WRITE) != 0;
            default -> (prot & (Prot.READ | Prot.WRITE)) != 0;
        };
    }

    /** {@link #handleFault} results. */
    public static final int FAULT_SEGV = 0, FAULT_POPULATED = 1, FAULT_ALREADY_PRESENT = 2;

    /**
     * A page fault from a hart: {@link #FAULT_POPULATED} when the page was made present,
     * {@link #FAULT_ALREADY_PRESENT} when it already was (the hart used a stale translation),
     * {@link #FAULT_SEGV} when the access is illegal (a segmentation fault).
     */
    public synchronized int handleFault(long va, int access) {
        if (va < 0 || va >= USER_END || destroyed) {
            return FAULT_SEGV;
        }
        Vma v = vmaAt(va);
        if (v == null || !allows(v.prot, access)) {
            return FAULT_SEGV;
        }
        long slot = leafSlot(pageDown(va), false);
        boolean present = slot >= 0 && (getPte(slot) & PTE_V) != 0;
        populate(pageDown(va), v.prot);
        return present ? FAULT_ALREADY_PRESENT : FAULT_POPULATED;
    }

    /** Makes the page at va present with the given protection; returns its frame. */
    private long populate(long page, int prot) {
        long slot = leafSlot(page, true);
        long pte = getPte(slot);
        if (backed(pte)) {
            if ((pte & PTE_V) == 0 && permBits(prot) != 0) {
                setPte(slot, leaf(ptePa(pte), prot));
            }
            return ptePa(pte);
        }
        long pa = pages.allocate();
        if (pa < 0) {
            throw new OutOfGuestMemoryException();
        }
        setPte(slot, leaf(pa, prot));
        faultsServed++;
        if ((prot & Prot.EXEC) != 0) {
            codeChanged();
        }
        return pa;
    }

    /** Populates every page of [start, end) that a VMA covers (MAP_POPULATE, shared memory before fork). */
    public synchronized void populateRange(long start, long end) {
        for (long p = pageDown(start); p < end; p += PAGE) {
            Vma v = vmaAt(p);
            if (v != null) {
                populate(p, v.prot);
            }
        }
    }

    // ------------------------------------------------------------------ kernel access

    /**
     * The RAM offset of guest byte va for a kernel access (a system call's buffer), populating a
     * lazily mapped page; throws {@link BadAddressException} where the process itself could not
     * make that access. {@code ignoreProt} is for the ELF loader writing read-only segments.
     */
    private long kernelOffset(long va, int access, boolean ignoreProt) {
        if (va < 0 || va >= USER_END || destroyed) {
            throw new BadAddressException(va);
        }
        long slot = leafSlot(va, false);
        if (slot >= 0 && !ignoreProt) {
            long pte = getPte(slot);
            if ((pte & PTE_V) != 0 && ((access == STORE) ? (pte & PTE_W) != 0 : (pte & PTE_R) != 0)) {
                return pages.offset(ptePa(pte)) + (va & (PAGE - 1));
            }
        }
        synchronized (this) {
            Vma v = vmaAt(va);
            if (v == null || (!ignoreProt && !allows(v.prot, access))) {
                throw new BadAddressException(va);
            }
            long pa = populate(pageDown(va), v.prot);
            if (ignoreProt && access == STORE && v.kind == Vma.PRIVATE && pages.refCount(pa) > 1) {
                // The loader writing a read-only page whose frame is shared: write a copy.
                long own = unshare(pa);
                long s = leafSlot(pageDown(va), false);
                setPte(s, (getPte(s) & ~(PPN_MASK << 10)) | ((own >>> 12) << 10));
                shootdown();
                pa = own;
            }
            return pages.offset(pa) + (va & (PAGE - 1));
        }
    }

    public void readBytes(long va, byte[] dst, int off, int len) {
        while (len > 0) {
            int n = (int) Math.min(len, PAGE - (va & (PAGE - 1)));
            MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, kernelOffset(va, LOAD, false), dst, off, n);
            va += n;
            off += n;
            len -= n;
        }
    }

    public byte[] readBytes(long va, int len) {
        byte[] b = new byte[len];
        readBytes(va, b, 0, len);
        return b;
    }

    public void writeBytes(long va, byte[] src, int off, int len) {
        copyIn(va, src, off, len, false);
    }

    /** The ELF loader's write: ignores the VMA protection (but the range must be mapped). */
    public void poke(long va, byte[] src, int off, int len) {
        copyIn(va, src, off, len, true);
    }

    private void copyIn(long va, byte[] src, int off, int len, boolean ignoreProt) {
        while (len > 0) {
            int n = (int) Math.min(len, PAGE - (va & (PAGE - 1)));
            MemorySegment.copy(src, off, ram, ValueLayout.JAVA_BYTE, kernelOffset(va, STORE, ignoreProt), n);
            va += n;
            off += n;
            len -= n;
        }
    }

    /** Zero-fills [va, va+len) (the loader's bss tail; ignores protection). */
    public void zero(long va, long len) {
        while (len > 0) {
            int n = (int) Math.min(len, PAGE - (va & (PAGE - 1)));
            ram.asSlice(kernelOffset(va, STORE, true), n).fill((byte) 0);
            va += n;
            len -= n;
        }
    }

    public long readLong(long va) {
        if ((va & (PAGE - 1)) <= PAGE - 8) {
            return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, kernelOffset(va, LOAD, false));
        }
        byte[] b = readBytes(va, 8);
        return ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int readInt(long va) {
        if ((va & (PAGE - 1)) <= PAGE - 4) {
            return ram.get(ValueLayout.JAVA_INT_UNALIGNED, kernelOffset(va, LOAD, false));
        }
        byte[] b = readBytes(va, 4);
        return ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public void writeLong(long va, long value) {
        if ((va & (PAGE - 1)) <= PAGE - 8) {
            ram.set(ValueLayout.JAVA_LONG_UNALIGNED, kernelOffset(va, STORE, false), value);
        } else {
            writeBytes(va, ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(value).array(), 0, 8);
        }
    }

    public void writeInt(long va, int value) {
        if ((va & (PAGE - 1)) <= PAGE - 4) {
            ram.set(ValueLayout.JAVA_INT_UNALIGNED, kernelOffset(va, STORE, false), value);
        } else {
            writeBytes(va, ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array(), 0, 4);
        }
    }

    /** A NUL-terminated string of at most {@code max} bytes (ENAMETOOLONG is the caller's business: null). */
    public byte[] readCString(long va, int max) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (out.size() < max) {
            long off = kernelOffset(va, LOAD, false);
            int n = (int) Math.min(max - out.size(), PAGE - (va & (PAGE - 1)));
            for (int i = 0; i < n; i++) {
                byte b = ram.get(ValueLayout.JAVA_BYTE, off + i);
                if (b == 0) {
                    return out.toByteArray();
                }
                out.write(b);
            }
            va += n;
        }
        return null;
    }

    /**
     * A view of guest memory from va up to the end of its page (at most {@code max} bytes), for
     * zero-copy transfers between host channels and guest buffers.
     */
    public ByteBuffer window(long va, int max, boolean forWrite) {
        int n = (int) Math.min(max, PAGE - (va & (PAGE - 1)));
        return ram.asSlice(kernelOffset(va, forWrite ? STORE : LOAD, false), n).asByteBuffer();
    }

    /** The physical address of a guest word (futex keys: shared mappings share frames). */
    public long physicalAddress(long va, boolean forWrite) {
        return pages.base() + kernelOffset(va, forWrite ? STORE : LOAD, false);
    }

    // ------------------------------------------------------------------ fork

    /**
     * A copy of this address space for a forked child: writable private pages are copied (eagerly;
     * the child usually execs soon, and only present pages are copied); shared pages and
     * read-only private pages (program text and constants) share their frames, which stay
     * unwritten: making such a page writable copies it first ({@link #protect}).
     */
    public synchronized AddressSpace fork(int childAsid) {
        for (Vma v : vmas.values()) {
            if (v.kind == Vma.SHARED) {
                for (long p = v.start; p < v.end; p += PAGE) {
                    populate(p, v.prot);
                }
            }
        }
        AddressSpace child = new AddressSpace(pages, childAsid);
        for (Vma v : vmas.values()) {
            child.vmas.put(v.start, v.copy(v.start, v.end));
        }
        child.brkStart = brkStart;
        child.brkEnd = brkEnd;
        child.mmapTop = mmapTop;
        forEachLeaf(0, USER_END, (va, slot, pte) -> {
            Vma v = vmaAt(va);
            long pa = ptePa(pte);
            long childPa;
            if (v != null && (v.kind == Vma.SHARED || (v.prot & Prot.WRITE) == 0)) {
                pages.retain(pa);
                childPa = pa;
            } else {
                childPa = pages.allocate();
                if (childPa < 0) {
                    throw new OutOfGuestMemoryException();
                }
                pages.copyFrame(pa, childPa);
            }
            child.setPte(child.leafSlot(va, true), (pte & ~(PPN_MASK << 10)) | ((childPa >>> 12) << 10));
        });
        return child;
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder();
        for (Vma v : vmas.values()) {
            sb.append(v).append('\n');
        }
        return sb.toString();
    }
}
