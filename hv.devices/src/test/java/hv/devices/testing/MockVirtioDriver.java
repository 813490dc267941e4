package hv.devices.testing;

import hv.api.device.MmioHandler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * A virtio driver in test code, written from virtio 1.2 sections 3.1 (initialization), 4.2.3
 * (MMIO driver requirements) and 2.7 (split rings, driver side). It talks to a real transport
 * through its MMIO window and keeps its rings in a real {@link ArrayGuestMemory}; it also has
 * raw accessors so tests can write the broken rings a hostile guest would.
 */
public final class MockVirtioDriver {

    public static final int F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;
    public static final int ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 64, FAILED = 128;

    /** One buffer of a request. */
    public record Buf(long addr, int len, boolean writable) {
        public static Buf in(long addr, int len) {
            return new Buf(addr, len, false);
        }

        public static Buf out(long addr, int len) {
            return new Buf(addr, len, true);
        }
    }

    /** One used-ring element. */
    public record Used(int id, int len) {
    }

    /** Driver-side state of one queue. */
    public static final class Queue {
        public int size;
        public long desc;
        public long avail;
        public long used;
        int nextFree;
        public int availIdx;
        public int lastUsed;
    }

    private final MmioHandler mmio;
    private final ArrayGuestMemory ram;
    private final Queue[] queues = new Queue[8];
    private long heap;
    private final long heapStart;

    /** Allocations start {@code reserve} bytes into RAM (below is free for tests' own use). */
    public MockVirtioDriver(MmioHandler mmio, ArrayGuestMemory ram) {
        this.mmio = mmio;
        this.ram = ram;
        this.heapStart = ram.base() + 0x1000;
        this.heap = heapStart;
    }

    public ArrayGuestMemory ram() {
        return ram;
    }

    public int reg(int offset) {
        return (int) mmio.read(offset, 4);
    }

    public void reg(int offset, int value) {
        mmio.write(offset, 4, value & 0xffff_ffffL);
    }

    public int status() {
        return reg(0x70);
    }

    /** Allocates guest memory (never freed; tests are short). */
    public long alloc(int len, int align) {
        heap = (heap + align - 1) & -(long) align;
        long a = heap;
        heap += len;
        if (heap > ram.end()) {
            throw new IllegalStateException("test guest RAM exhausted");
        }
        ram.fill(a, len, (byte) 0);
        return a;
    }

    /** Writes 0 to status and waits (as Linux's vm_reset does) for it to read back 0. */
    public void reset() {
        reg(0x70, 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (status() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("device did not finish its reset");
            }
            Thread.onSpinWait();
        }
        java.util.Arrays.fill(queues, null);
        heap = heapStart;
    }

    public long deviceFeatures() {
        reg(0x14, 0);
        long lo = reg(0x10) & 0xffff_ffffL;
        reg(0x14, 1);
        long hi = reg(0x10) & 0xffff_ffffL;
        return lo | (hi << 32);
    }

    /**
     * 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, and re-read.
     *
     * @return whether the device kept FEATURES_OK
     */
    public boolean negotiate(long features) {
        reset();
        if (reg(0x000) != 0x74726976 || reg(0x004) != 2) {
            throw new AssertionError("not a virtio-mmio v2 device");
        }
        reg(0x70, ACKNOWLEDGE);
        reg(0x70, ACKNOWLEDGE | DRIVER);
        reg(0x24, 0);
        reg(0x20, (int) features);
        reg(0x24, 1);
        reg(0x20, (int) (features >>> 32));
        reg(0x70, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        return (status() & FEATURES_OK) != 0;
    }

    /** Negotiates everything offered that {@code wanted} allows; fails the test if refused. */
    public long initialize(long wanted) {
        long f = deviceFeatures() & wanted;
        if (!negotiate(f)) {
            throw new AssertionError("device refused features 0x" + Long.toHexString(f));
        }
        return f;
    }

    /** 4.2.3.2: select, check not ready, size, ring addresses, ready. */
    public Queue setupQueue(int q, int size) {
        reg(0x30, q);
        if (reg(0x44) != 0) {
            throw new AssertionError("queue " + q + " already ready");
        }
        int max = reg(0x34);
        if (max == 0 || size > max) {
            throw new AssertionError("queue " + q + " max " + max + " < " + size);
        }
        Queue qs = new Queue();
        qs.size = size;
        qs.desc = alloc(16 * size, 16);
        qs.avail = alloc(6 + 2 * size, 2);
        qs.used = alloc(6 + 8 * size, 4);
        queues[q] = qs;
        writeQueueRegisters(q, size, qs.desc, qs.avail, qs.used);
        reg(0x44, 1);
        return qs;
    }

    /** Writes the queue registers without enabling (for tests of bad configurations). */
    public void writeQueueRegisters(int q, int size, long desc, long avail, long used) {
        reg(0x30, q);
        reg(0x38, size);
        reg(0x80, (int) desc);
        reg(0x84, (int) (desc >>> 32));
        reg(0x90, (int) avail);
        reg(0x94, (int) (avail >>> 32));
        reg(0xa0, (int) used);
        reg(0xa4, (int) (used >>> 32));
    }

    public Queue queue(int q) {
        return queues[q];
    }

    /**
     * Takes over {@code other}'s view of its rings and heap, as the same guest driver running on
     * after its VM was snapshotted and restored into another device (the guest RAM copied over
     * by the test).
     */
    public void continueFrom(MockVirtioDriver other) {
        for (int i = 0; i < queues.length; i++) {
            Queue o = other.queues[i];
            if (o == null) {
                queues[i] = null;
                continue;
            }
            Queue q = new Queue();
            q.size = o.size;
            q.desc = o.desc;
            q.avail = o.avail;
            q.used = o.used;
            q.nextFree = o.nextFree;
            q.availIdx = o.availIdx;
            q.lastUsed = o.lastUsed;
            queues[i] = q;
        }
        heap = other.heap;
    }

    public void driverOk() {
        reg(0x70, status() | DRIVER_OK);
    }

    // ---- requests ---------------------------------------------------------------------------

    public void writeDesc(int q, int index, long addr, int len, int flags, int next) {
        writeDescAt(queues[q].desc + 16L * index, addr, len, flags, next);
    }

    public void writeDescAt(long at, long addr, int len, int flags, int next) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(addr).putInt(len).putShort((short) flags).putShort((short) next);
        ram.put(at, b.array());
    }

    /** A direct chain in free descriptors; returns its head (not yet made available). */
    public int chain(int q, Buf... bufs) {
        Queue qs = queues[q];
        int head = qs.nextFree;
        for (int i = 0; i < bufs.length; i++) {
            int idx = (head + i) % qs.size;
            int nextIdx = (head + i + 1) % qs.size;
            int flags = (bufs[i].writable ? F_WRITE : 0) | (i + 1 < bufs.length ? F_NEXT : 0);
            writeDesc(q, idx, bufs[i].addr, bufs[i].len, flags, i + 1 < bufs.length ? nextIdx : 0);
        }
        qs.nextFree = (head + bufs.length) % qs.size;
        return head;
    }

    /** One descriptor pointing at an indirect table holding {@code bufs}; returns its head. */
    public int indirectChain(int q, Buf... bufs) {
        long table = alloc(16 * bufs.length, 16);
        for (int i = 0; i < bufs.length; i++) {
            int flags = (bufs[i].writable ? F_WRITE : 0) | (i + 1 < bufs.length ? F_NEXT : 0);
            writeDescAt(table + 16L * i, bufs[i].addr, bufs[i].len, flags, i + 1 < bufs.length ? i + 1 : 0);
        }
        Queue qs = queues[q];
        int head = qs.nextFree;
        writeDesc(q, head, table, 16 * bufs.length, F_INDIRECT, 0);
        qs.nextFree = (head + 1) % qs.size;
        return head;
    }

    /** Puts {@code head} in the available ring, publishes the index and notifies (2.7.13). */
    public void submit(int q, int head) {
        makeAvailable(q, head);
        notify(q);
    }

    public void makeAvailable(int q, int head) {
        Queue qs = queues[q];
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) head);
        ram.put(qs.avail + 4 + 2L * (qs.availIdx % qs.size), b.array());
        qs.availIdx = (qs.availIdx + 1) & 0xffff;
        setAvailIdx(q, qs.availIdx);
    }

    public void setAvailIdx(int q, int idx) {
        ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) idx);
        java.lang.invoke.VarHandle.releaseFence();
        ram.put(queues[q].avail + 2, b.array());
    }

    public void notify(int q) {
        reg(0x50, q);
    }

    public int usedIdx(int q) {
        byte[] b = ram.get(queues[q].used + 2, 2);
        return (b[0] & 0xff) | ((b[1] & 0xff) << 8);
    }

    /** The next used element, waiting up to {@code timeout}; null if none came. */
    public Used waitUsed(int q, Duration timeout) {
        Queue qs = queues[q];
        long deadline = System.nanoTime() + timeout.toNanos();
        while (usedIdx(q) == qs.lastUsed) {
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.onSpinWait();
        }
        java.lang.invoke.VarHandle.acquireFence();
        ByteBuffer e = ByteBuffer.wrap(ram.get(qs.used + 4 + 8L * (qs.lastUsed % qs.size), 8)).order(ByteOrder.LITTLE_ENDIAN);
        qs.lastUsed = (qs.lastUsed + 1) & 0xffff;
        // EVENT_IDX: ask for an interrupt at the next completion (used_event, 2.7.10).
        ByteBuffer ev = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        ev.putShort((short) qs.lastUsed);
        ram.put(qs.avail + 4 + 2L * qs.size, ev.array());
        return new Used(e.getInt(0), e.getInt(4));
    }

    public Used waitUsed(int q) {
        return waitUsed(q, Duration.ofSeconds(5));
    }

    /** Reads and acknowledges the interrupt status. */
    public int takeInterrupt() {
        int s = reg(0x60);
        reg(0x64, s);
        return s;
    }

    public long config(int offset, int size) {
        return mmio.read(0x100 + offset, size);
    }

    public int configGeneration() {
        return reg(0xfc);
    }
}
