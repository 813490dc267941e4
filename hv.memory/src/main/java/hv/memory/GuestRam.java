package hv.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest RAM: one off-heap {@link MemorySegment} mapped at guest-physical {@link #base()}.
 *
 * <p>Accessors take an OFFSET into the segment ({@code paddr - base}); the MMU's TLB stores
 * offsets so a hit costs one add. Plain accessors are little-endian (RISC-V is little-endian,
 * unprivileged spec 1.5) and allow unaligned offsets, because the MMU performs misaligned loads
 * and stores in place. Atomic accessors need natural alignment (the MMU checks it first, as the
 * A extension requires) and are sequentially consistent across host threads, which is what
 * LR/SC and AMOs with aq+rl need; weaker orderings would be allowed but gain little on x86.
 *
 * <p>The segment is a lazily committed anonymous mapping where the host allows it (see
 * {@link RamAllocator}), so a 2 GiB guest costs host memory only for the pages it touches.
 */
public final class GuestRam implements AutoCloseable {
    public static final long DEFAULT_BASE = 0x8000_0000L;
    /** Smallest RAM we accept: a Linux kernel with an initramfs needs more than this anyway. */
    public static final long MIN_SIZE = 16L << 20;
    public static final long PAGE_SIZE = 4096;
    /** Guest-physical addresses are at most 56 bits wide (Sv39..Sv57 PTEs hold a 44-bit PPN). */
    public static final long MAX_PHYSICAL = 1L << 56;

    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // Aligned layouts for the atomic VarHandles (coordinates: segment, offset).
    private static final VarHandle INT_ATOMIC = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG_ATOMIC = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final long base;
    private final long size;
    private final MemorySegment segment;
    private final RamAllocator.Allocation allocation;
    private final DirtyLog dirtyLog;
    private final CodeWriteLog codeWrites;
    /** Told about loader writes, so harts drop shadows built from page tables they overwrite. */
    private volatile HostWriteListener hostWriteListener = (off, length) -> { };

    interface HostWriteListener {
        void written(long off, long length);
    }

    private GuestRam(long base, long size, RamAllocator.Allocation allocation) {
        this.base = base;
        this.size = size;
        this.allocation = allocation;
        this.segment = allocation.segment();
        this.dirtyLog = new DirtyLog(size / PAGE_SIZE);
        this.codeWrites = new CodeWriteLog(size / PAGE_SIZE);
    }

    /**
     * Allocates {@code size} bytes of guest RAM at guest-physical {@code base}.
     *
     * @throws IllegalArgumentException with a one-line message when the size is too small, not a
     *                                  multiple of 4 KiB, does not fit the physical address space,
     *                                  or is more than the host can back
     */
    public static GuestRam allocate(long base, long size) {
        return allocate(base, size, true);
    }

    /** {@code checkHost=false} skips the host-memory check (tests of a sparse, mostly untouched RAM). */
    static GuestRam allocate(long base, long size, boolean checkHost) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("guest memory size " + size + " bytes is below the minimum of 16 MiB");
        }
        if ((size & (PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("guest memory size " + size + " bytes is not a multiple of 4 KiB");
        }
        if ((base & (PAGE_SIZE - 1)) != 0 || base < 0 || base > MAX_PHYSICAL - size) {
            throw new IllegalArgumentException(String.format(
                    "guest RAM [0x%x, +0x%x) does not fit the 56-bit physical address space", base, size));
        }
        return new GuestRam(base, size, RamAllocator.allocate(size, checkHost));
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /**
     * The raw segment, for the MMU's TLB hits and readers. Whoever writes through it outside a
     * store TLB entry must call {@code codeWrites().noteWritten} afterwards (and mark the dirty
     * log), or a hart may keep executing a decoded copy of the old bytes after FENCE.I.
     */
    public MemorySegment segment() {
        return segment;
    }

    /** How the RAM is backed ("mmap (lazily committed)" or "arena"), for logs and --stats. */
    public String backing() {
        return allocation.description();
    }

    /** Which pages may have changed since a decoded-code snapshot (see {@link CodeWriteLog}). */
    public CodeWriteLog codeWrites() {
        return codeWrites;
    }

    public DirtyLog dirtyLog() {
        return dirtyLog;
    }

    /** True when [paddr, paddr+length) lies entirely in RAM. Overflow-safe for any inputs. */
    public boolean contains(long paddr, long length) {
        if (length < 0 || Long.compareUnsigned(paddr, base) < 0) {
            return false;
        }
        long off = paddr - base;
        // off <= size makes size - off non-negative, so the length compare cannot overflow.
        return Long.compareUnsigned(off, size) <= 0 && length <= size - off;
    }

    /** The segment offset of paddr, or -1 when paddr is not in RAM. */
    public long offsetOf(long paddr) {
        long off = paddr - base;
        return Long.compareUnsigned(off, size) < 0 ? off : -1;
    }

    // --- plain little-endian accessors by offset (hot path) ---

    public byte getByte(long off) {
        return segment.get(BYTE, off);
    }

    public short getShort(long off) {
        return segment.get(SHORT, off);
    }

    public int getInt(long off) {
        return segment.get(INT, off);
    }

    public long getLong(long off) {
        return segment.get(LONG, off);
    }

    public void putByte(long off, byte value) {
        segment.set(BYTE, off, value);
        codeWrites.noteWritten(off, 1);
    }

    public void putShort(long off, short value) {
        segment.set(SHORT, off, value);
        codeWrites.noteWritten(off, 2);
    }

    public void putInt(long off, int value) {
        segment.set(INT, off, value);
        codeWrites.noteWritten(off, 4);
    }

    public void putLong(long off, long value) {
        segment.set(LONG, off, value);
        codeWrites.noteWritten(off, 8);
    }

    // --- atomic accessors by offset (naturally aligned) ---
    // The read-modify-write ones do not note the write in codeWrites: the hart uses them right
    // after Mmu.translateAtomic, whose store TLB entry (or page-table path) accounts for it.

    public int getIntVolatile(long off) {
        return (int) INT_ATOMIC.getVolatile(segment, off);
    }

    public long getLongVolatile(long off) {
        return (long) LONG_ATOMIC.getVolatile(segment, off);
    }

    public void putIntVolatile(long off, int value) {
        INT_ATOMIC.setVolatile(segment, off, value);
        codeWrites.noteWritten(off, 4);
    }

    public void putLongVolatile(long off, long value) {
        LONG_ATOMIC.setVolatile(segment, off, value);
        codeWrites.noteWritten(off, 8);
    }

    public int compareAndExchangeInt(long off, int expected, int value) {
        return (int) INT_ATOMIC.compareAndExchange(segment, off, expected, value);
    }

    public long compareAndExchangeLong(long off, long expected, long value) {
        return (long) LONG_ATOMIC.compareAndExchange(segment, off, expected, value);
    }

    public int getAndAddInt(long off, int delta) {
        return (int) INT_ATOMIC.getAndAdd(segment, off, delta);
    }

    public long getAndAddLong(long off, long delta) {
        return (long) LONG_ATOMIC.getAndAdd(segment, off, delta);
    }

    public int getAndSetInt(long off, int value) {
        return (int) INT_ATOMIC.getAndSet(segment, off, value);
    }

    public long getAndSetLong(long off, long value) {
        return (long) LONG_ATOMIC.getAndSet(segment, off, value);
    }

    public int getAndBitwiseAndInt(long off, int mask) {
        return (int) INT_ATOMIC.getAndBitwiseAnd(segment, off, mask);
    }

    public long getAndBitwiseAndLong(long off, long mask) {
        return (long) LONG_ATOMIC.getAndBitwiseAnd(segment, off, mask);
    }

    public int getAndBitwiseOrInt(long off, int mask) {
        return (int) INT_ATOMIC.getAndBitwiseOr(segment, off, mask);
    }

    public long getAndBitwiseOrLong(long off, long mask) {
        return (long) LONG_ATOMIC.getAndBitwiseOr(segment, off, mask);
    }

    public int getAndBitwiseXorInt(long off, int mask) {
        return (int) INT_ATOMIC.getAndBitwiseXor(segment, off, mask);
    }

    public long getAndBitwiseXorLong(long off, long mask) {
        return (long) LONG_ATOMIC.getAndBitwiseXor(segment, off, mask);
    }

    // --- bulk copies for loaders ---

    /** Copies {@code data} to guest-physical {@code paddr} and marks the pages dirty. */
    public void write(long paddr, byte[] data) {
        checkRange(paddr, data.length);
        long off = paddr - base;
        MemorySegment.copy(data, 0, segment, BYTE, off, data.length);
        dirtyLog.markRange(off, data.length);
        codeWrites.noteWritten(off, data.length);
        hostWriteListener.written(off, data.length);
    }

    void setHostWriteListener(HostWriteListener listener) {
        this.hostWriteListener = listener;
    }

    /** Copies guest-physical [paddr, paddr+dst.length) into {@code dst}. */
    public void read(long paddr, byte[] dst) {
        checkRange(paddr, dst.length);
        MemorySegment.copy(segment, BYTE, paddr - base, dst, 0, dst.length);
    }

    private void checkRange(long paddr, long length) {
        if (!contains(paddr, length)) {
            throw new IllegalArgumentException(String.format(
                    "[0x%x, +0x%x) is outside guest RAM [0x%x, 0x%x)", paddr, length, base, base + size));
        }
    }

    /** Releases the host memory. Only call when no hart or device can touch the RAM any more. */
    @Override
    public void close() {
        allocation.close();
    }

    @Override
    public String toString() {
        return String.format("GuestRam[0x%x, +%d MiB, %s]", base, size >> 20, backing());
    }
}
