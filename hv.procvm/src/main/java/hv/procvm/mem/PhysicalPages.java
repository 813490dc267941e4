package hv.procvm.mem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The physical page allocator of the process VM: hands out 4 KiB frames of one guest-RAM
 * segment, shared by every guest process of this VM, with a reference count per frame (a frame is
 * shared by several page tables for MAP_SHARED memory inherited across fork, and by a vfork child).
 *
 * <p>WHY a kernel-style allocator: the runtime plays the guest's kernel, so user pages and the
 * page-table pages the MMU walks both live in guest RAM. Frames that were never handed out are
 * zero (guest RAM is lazily committed, zero-filled host memory); recycled frames are zeroed when
 * they are handed out again. Not on a hot path: calls come from syscalls and page-fault exits,
 * so a monitor is fine.
 */
public final class PhysicalPages {
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;

    private final MemorySegment ram;
    private final long base;
    private final int frameCount;
    private final int[] refs;
    /**
     * Freed frames, reused oldest first (a ring): another hart may still hold a translation of a
     * just-unmapped page until its next block boundary, so a frame is not handed out again at once.
     */
    private int[] freeFrames = new int[1024];
    private int freeHead;
    private int freeCount;
    private int highWater;
    private int inUse;
    private volatile PteWriter pteWriter;

    /**
     * How page-table entries reach RAM. By default a plain volatile store; the process VM installs
     * a writer that also tells the harts' MMUs (hv.memory's host-write path), so shadow
     * translations built from the entry are dropped.
     */
    public interface PteWriter {
        void write(long pa, long pte);
    }

    public void setPteWriter(PteWriter writer) {
        this.pteWriter = writer;
    }

    private static final java.lang.invoke.VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** Stores one page-table entry (an aligned 64-bit word) at physical address pa. */
    public void writePte(long pa, long pte) {
        PteWriter w = pteWriter;
        if (w != null) {
            w.write(pa, pte);
        } else {
            LONG.setVolatile(ram, offset(pa), pte);
        }
    }

    /**
     * @param ram  the guest RAM segment (offset 0 = physical address {@code base})
     * @param base the physical address of the first byte of {@code ram}
     */
    public PhysicalPages(MemorySegment ram, long base) {
        this.ram = ram;
        this.base = base;
        long frames = ram.byteSize() >>> PAGE_SHIFT;
        if (frames > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("guest RAM too large for the frame table: " + ram.byteSize());
        }
        this.frameCount = (int) frames;
        this.refs = new int[frameCount];
    }

    public MemorySegment ram() {
        return ram;
    }

    public long base() {
        return base;
    }

    /** Offset into {@link #ram()} of a physical address. */
    public long offset(long pa) {
        return pa - base;
    }

    /** A zeroed frame with a reference count of 1, or -1 when guest RAM is exhausted. */
    public synchronized long allocate() {
        int frame;
        if (freeCount > 0 && (freeCount > 256 || highWater >= frameCount)) {
            frame = freeFrames[freeHead];
            freeHead = (freeHead + 1) % freeFrames.length;
            freeCount--;
            ram.asSlice((long) frame << PAGE_SHIFT, PAGE_SIZE).fill((byte) 0);
        } else if (highWater < frameCount) {
            frame = highWater++;
        } else {
            return -1;
        }
        refs[frame] = 1;
        inUse++;
        return base + ((long) frame << PAGE_SHIFT);
    }

    /** One more reference to an allocated frame (shared mapping). */
    public synchronized void retain(long pa) {
        int frame = frame(pa);
        if (refs[frame] <= 0) {
            throw new IllegalStateException("retain of a free frame 0x" + Long.toHexString(pa));
        }
        refs[frame]++;
    }

    /** Drops one reference; the frame becomes free when none is left. */
    public synchronized void release(long pa) {
        int frame = frame(pa);
        if (refs[frame] <= 0) {
            throw new IllegalStateException("release of a free frame 0x" + Long.toHexString(pa));
        }
        if (--refs[frame] == 0) {
            if (freeCount == freeFrames.length) {
                int[] bigger = new int[freeFrames.length * 2];
                for (int i = 0; i < freeCount; i++) {
                    bigger[i] = freeFrames[(freeHead + i) % freeFrames.length];
                }
                freeFrames = bigger;
                freeHead = 0;
            }
            freeFrames[(freeHead + freeCount) % freeFrames.length] = frame;
            freeCount++;
            inUse--;
        }
    }

    public synchronized int refCount(long pa) {
        return refs[frame(pa)];
    }

    /** Frames currently allocated (for --stats and leak tests). */
    public synchronized int framesInUse() {
        return inUse;
    }

    public int frameCount() {
        return frameCount;
    }

    /** Copies one whole frame. */
    public void copyFrame(long fromPa, long toPa) {
        MemorySegment.copy(ram, offset(fromPa), ram, offset(toPa), PAGE_SIZE);
    }

    public long readLong(long pa) {
        return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, offset(pa));
    }

    private int frame(long pa) {
        long f = (pa - base) >>> PAGE_SHIFT;
        if (pa < base || f >= frameCount) {
            throw new IllegalArgumentException("not a RAM frame: 0x" + Long.toHexString(pa));
        }
        return (int) f;
    }
}
