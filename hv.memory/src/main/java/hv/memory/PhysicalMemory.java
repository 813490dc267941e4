package hv.memory;

import hv.api.device.GuestMemory;
import hv.api.device.MmioHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The guest-physical address map: RAM, MMIO windows (hv.api {@link MmioHandler}) and holes.
 * An access to a hole is an access fault in the guest (privileged spec 3.6: PMA violations raise
 * access faults), never a host exception.
 *
 * <p>Windows are added while the machine is assembled and then only read; the window list is
 * an immutable array replaced on every add, so vCPU threads read it without locks.
 */
public final class PhysicalMemory {
    private static final System.Logger LOG = System.getLogger(PhysicalMemory.class.getName());
    private final GuestRam ram;
    private volatile MmioRegion[] regions = new MmioRegion[0];
    private final LongAdder holeAccesses = new LongAdder();
    private final GuestMemory dmaView;
    /** Shared by all harts: which RAM pages hold guest page tables some shadow depends on. */
    private final PageTableTracker pageTables;
    private final List<Mmu> mmus = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PhysicalMemory(GuestRam ram) {
        this.ram = ram;
        this.dmaView = new DmaView(ram, this);
        this.pageTables = new PageTableTracker(ram.size() / GuestRam.PAGE_SIZE);
        ram.setHostWriteListener(this::ramWrittenByHost);
    }

    public GuestRam ram() {
        return ram;
    }

    /** One MMIO window with its access counters. */
    public static final class MmioRegion {
        private final String name;
        private final long base;
        private final long size;
        private final MmioHandler handler;
        private final LongAdder reads = new LongAdder();
        private final LongAdder writes = new LongAdder();
        private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

        MmioRegion(String name, long base, long size, MmioHandler handler) {
            this.name = name;
            this.base = base;
            this.size = size;
            this.handler = handler;
        }

        public String name() {
            return name;
        }

        public long base() {
            return base;
        }

        public long size() {
            return size;
        }

        public long reads() {
            return reads.sum();
        }

        public long writes() {
            return writes.sum();
        }

        /** Accesses on which the handler threw (a device bug). */
        public long failures() {
            return failures.get();
        }

        boolean contains(long paddr, int length) {
            long off = paddr - base;
            return Long.compareUnsigned(off, size) < 0 && length <= size - off;
        }

        @Override
        public String toString() {
            return String.format("%s[0x%x, +0x%x) reads=%d writes=%d", name, base, size, reads(), writes());
        }
    }

    /**
     * Maps an MMIO window. Refuses (IllegalArgumentException) empty or wrapping windows and any
     * overlap with RAM or another window.
     */
    public synchronized void mapMmio(String name, long base, long size, MmioHandler handler) {
        if (size <= 0 || base < 0 || base > GuestRam.MAX_PHYSICAL - size) {
            throw new IllegalArgumentException(String.format(
                    "MMIO window %s [0x%x, +0x%x) is empty or outside the physical address space", name, base, size));
        }
        if (overlaps(base, size, ram.base(), ram.size())) {
            throw new IllegalArgumentException(String.format(
                    "MMIO window %s [0x%x, +0x%x) overlaps guest RAM [0x%x, +0x%x)", name, base, size, ram.base(), ram.size()));
        }
        for (MmioRegion r : regions) {
            if (overlaps(base, size, r.base, r.size)) {
                throw new IllegalArgumentException(String.format(
                        "MMIO window %s [0x%x, +0x%x) overlaps %s [0x%x, +0x%x)", name, base, size, r.name, r.base, r.size));
            }
        }
        MmioRegion[] next = Arrays.copyOf(regions, regions.length + 1);
        next[next.length - 1] = new MmioRegion(name, base, size, handler);
        Arrays.sort(next, (a, b) -> Long.compare(a.base, b.base));
        regions = next;
    }

    private static boolean overlaps(long b1, long s1, long b2, long s2) {
        return b1 < b2 + s2 && b2 < b1 + s1;
    }

    /** The MMIO windows, in address order, with their counters. */
    public List<MmioRegion> mmioRegions() {
        return List.of(regions);
    }

    /** Accesses that hit neither RAM nor a window (each became an access fault). */
    public long holeAccesses() {
        return holeAccesses.sum();
    }

    /** The window holding [paddr, paddr+size), or null. */
    MmioRegion findMmio(long paddr, int size) {
        MmioRegion[] rs = regions;
        int lo = 0, hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MmioRegion r = rs[mid];
            if (paddr < r.base) {
                hi = mid - 1;
            } else if (paddr - r.base >= r.size) {
                lo = mid + 1;
            } else {
                return r.contains(paddr, size) ? r : null;
            }
        }
        return null;
    }

    /**
     * A physical read of {@code size} (1/2/4/8) bytes, zero-extended. RAM may be unaligned; MMIO
     * must be naturally aligned (the MmioHandler contract) or it is an access fault.
     *
     * @param accessType an {@link AccessType}, which selects the access-fault cause
     * @throws MemoryFault {@code fault}, filled with the access fault and tval = paddr
     */
    public long read(long paddr, int size, int accessType, MemoryFault fault) {
        long off = paddr - ram.base();
        if (Long.compareUnsigned(off, ram.size()) < 0 && size <= ram.size() - off) {
            return readRam(off, size);
        }
        MmioRegion r = findMmio(paddr, size);
        if (r == null || (paddr & (size - 1)) != 0) {
            holeAccesses.increment();
            throw fault.set(AccessType.accessFaultCause(accessType), paddr);
        }
        r.reads.increment();
        long v;
        try {
            v = r.handler.read(paddr - r.base, size);
        } catch (RuntimeException e) {
            deviceFailed(r, e);
            return 0; // as an unimplemented register reads (MmioHandler contract)
        }
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** A physical write; see {@link #read}. RAM writes mark the page dirty and are checked against page tables by the MMU. */
    public void write(long paddr, int size, long value, MemoryFault fault) {
        long off = paddr - ram.base();
        if (Long.compareUnsigned(off, ram.size()) < 0 && size <= ram.size() - off) {
            writeRam(off, size, value);
            ram.dirtyLog().markRange(off, size);
            ramWrittenByHost(off, size);
            return;
        }
        MmioRegion r = findMmio(paddr, size);
        if (r == null || (paddr & (size - 1)) != 0) {
            holeAccesses.increment();
            throw fault.set(MemoryFault.STORE_ACCESS_FAULT, paddr);
        }
        r.writes.increment();
        try {
            r.handler.write(paddr - r.base, size, value);
        } catch (RuntimeException e) {
            deviceFailed(r, e);
        }
    }

    /**
     * A device broke its contract (threw on a guest access). The guest must not be able to crash
     * HV through it: the access completes as for an unimplemented register, counted, logged once.
     */
    private void deviceFailed(MmioRegion r, RuntimeException e) {
        if (r.failures.getAndIncrement() == 0) {
            LOG.log(System.Logger.Level.ERROR, "MMIO handler of " + r.name + " threw; guest accesses to it now read 0: " + e, e);
        }
    }

    long readRam(long off, int size) {
        return switch (size) {
            case 1 -> ram.getByte(off) & 0xFFL;
            case 2 -> ram.getShort(off) & 0xFFFFL;
            case 4 -> ram.getInt(off) & 0xFFFF_FFFFL;
            default -> ram.getLong(off);
        };
    }

    void writeRam(long off, int size, long value) {
        switch (size) {
            case 1 -> ram.putByte(off, (byte) value);
            case 2 -> ram.putShort(off, (short) value);
            case 4 -> ram.putInt(off, (int) value);
            default -> ram.putLong(off, value);
        }
    }

    /**
     * RAM was written behind the harts' backs (DMA, a loader, a host-side physical write): if it
     * held guest page tables, the shadows built from them are invalidated on every hart.
     */
    void ramWrittenByHost(long off, long length) {
        ram.codeWrites().noteWritten(off, length); // DMA and host writes: decoded copies must look again
        if (length <= 0 || mmus.isEmpty()) {
            return;
        }
        java.lang.invoke.VarHandle.fullFence(); // the data before the tracking check (see ShadowTables)
        long last = (off + length - 1) >>> 12;
        for (long page = off >>> 12; page <= last; page++) {
            if (pageTables.isTracked(page)) {
                long msg = ShadowTables.encode(ShadowTables.MSG_ZAP, page, 0);
                for (Mmu m : mmus) {
                    m.post(msg);
                }
            }
        }
    }

    PageTableTracker pageTables() {
        return pageTables;
    }

    /** The bounds-checked view of RAM that devices use for DMA. */
    public GuestMemory dmaView() {
        return dmaView;
    }

    // --- the harts' MMUs, for cross-hart invalidation ---

    void register(Mmu mmu) {
        mmus.add(mmu);
        ram.dirtyLog().register(mmu);
    }

    void unregister(Mmu mmu) {
        mmus.remove(mmu);
        ram.dirtyLog().unregister(mmu);
    }

    List<Mmu> mmus() {
        return mmus;
    }

    /** Asks every hart to drop its TLB at its next pollFlush (e.g. after the host rewrote guest page tables). */
    public void requestFlushAll() {
        for (Mmu m : mmus) {
            m.requestFlush();
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(ram.toString());
        for (MmioRegion r : regions) {
            parts.add(r.toString());
        }
        return String.join(", ", parts);
    }
}
