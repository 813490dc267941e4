package hv.devices.virtio;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.lang.invoke.VarHandle;

/**
 * One split virtqueue (virtio 1.2 section 2.7), seen from the device.
 *
 * <p>The transport configures it (size, ring addresses, ready) on vCPU threads while it is
 * disabled; once enabled its layout is an immutable {@link Layout} published through a volatile
 * field, so the device thread never sees a half-written configuration, and a reset that races
 * with a pop leaves the pop working on the old, still bounds-checked, layout.
 *
 * <p>The device side ({@link #pop}, {@link #addUsed}, {@link #notifyIfNeeded}) must be used by
 * one thread at a time, normally the device's worker. Typical loop:
 * <pre>{@code
 *   DescriptorChain c;
 *   while ((c = queue.pop()) != null) {
 *       int written = serve(c);
 *       queue.addUsed(c, written);
 *   }
 *   queue.notifyIfNeeded();
 * }</pre>
 *
 * <p>Validation (as rust-vmm's virtio-queue and Firecracker do it, at access time): a chain
 * whose buffers leave guest RAM, wrap around, loop, put readable after writable buffers, or
 * misuse indirect tables is completed with length 0 (the driver gets its buffer back and can
 * fail the request), counted and logged once; a ring that is itself corrupt (a head index
 * beyond the queue, an available index that jumps by more than the queue size) marks the
 * device DEVICE_NEEDS_RESET and the queue stops until reset.
 */
public final class Virtqueue {

    /** The maximum split queue size (2.7). */
    public static final int MAX_SIZE = 32768;

    static final int DESC_F_NEXT = 1;
    static final int DESC_F_WRITE = 2;
    static final int DESC_F_INDIRECT = 4;
    static final int AVAIL_F_NO_INTERRUPT = 1;
    private static final int DESC_SIZE = 16;

    /** Interface back to the transport. */
    interface Host {
        GuestMemory memory();

        VirtioErrors errors();

        long negotiatedFeatures();

        void signalUsed();

        void needsReset(VirtioError kind, String detail);
    }

    /** The validated ring layout of an enabled queue. */
    record Layout(int size, long desc, long avail, long used, boolean indirect, boolean eventIdx) {
    }

    private final Host host;
    private final int index;
    private final int maxSize;

    // Driver-written configuration (transport, under its lock, while disabled).
    private int configuredSize;
    private long descAddr;
    private long availAddr;
    private long usedAddr;

    private volatile Layout layout;
    private volatile boolean broken;

    // Device-side ring state (the device's thread).
    private int lastAvail;
    private int usedIdx;
    private int signalledUsed;
    private boolean signalledValid;
    /**
     * Available-ring entries popped since the device last wrote a used element: the most that
     * {@link #giveBack} may rewind, because none of them can be in the used ring. Not saved: a
     * restored device holds no chains.
     */
    private int poppedSinceUsed;

    Virtqueue(Host host, int index, int maxSize) {
        this.host = host;
        this.index = index;
        this.maxSize = maxSize;
        this.configuredSize = maxSize;
    }

    public int index() {
        return index;
    }

    public int maxSize() {
        return maxSize;
    }

    /** The negotiated size, or 0 while the queue is not enabled. */
    public int size() {
        Layout l = layout;
        return l == null ? 0 : l.size;
    }

    public boolean isReady() {
        return layout != null && !broken;
    }

    // ---- transport side ---------------------------------------------------------------------

    int configuredSize() {
        return configuredSize;
    }

    long descAddr() {
        return descAddr;
    }

    long availAddr() {
        return availAddr;
    }

    long usedAddr() {
        return usedAddr;
    }

    boolean enabled() {
        return layout != null;
    }

    void setSize(int size) {
        configuredSize = size;
    }

    void setDescAddr(long a) {
        descAddr = a;
    }

    void setAvailAddr(long a) {
        availAddr = a;
    }

    void setUsedAddr(long a) {
        usedAddr = a;
    }

    /**
     * Enables the queue if its configuration is valid (2.7 sizes; 2.7.5 alignment: descriptor
     * table 16, available ring 2, used ring 4; every ring entirely in guest RAM).
     *
     * @return null on success, else the reason it stays disabled
     */
    String enable(long features) {
        int n = configuredSize;
        if (n <= 0 || n > maxSize || (n & (n - 1)) != 0) {
            return "queue " + index + ": size " + n + " (max " + maxSize + ", power of two)";
        }
        GuestMemory mem = host.memory();
        long descLen = (long) DESC_SIZE * n;
        long availLen = 6 + 2L * n;
        long usedLen = 6 + 8L * n;
        if ((descAddr & 15) != 0 || (availAddr & 1) != 0 || (usedAddr & 3) != 0) {
            return String.format("queue %d: misaligned rings desc=0x%x avail=0x%x used=0x%x", index, descAddr, availAddr, usedAddr);
        }
        if (!inRam(mem, descAddr, descLen) || !inRam(mem, availAddr, availLen) || !inRam(mem, usedAddr, usedLen)) {
            return String.format("queue %d: rings outside guest RAM desc=0x%x avail=0x%x used=0x%x", index, descAddr, availAddr, usedAddr);
        }
        lastAvail = 0;
        usedIdx = 0;
        signalledUsed = 0;
        signalledValid = false;
        poppedSinceUsed = 0;
        broken = false;
        layout = new Layout(n, descAddr, availAddr, usedAddr,
                (features & VirtioFeatures.RING_INDIRECT_DESC) != 0, (features & VirtioFeatures.RING_EVENT_IDX) != 0);
        return null;
    }

    /** Back to the power-on state (2.7: size reads back as the maximum). */
    void reset() {
        layout = null;
        broken = false;
        configuredSize = maxSize;
        descAddr = 0;
        availAddr = 0;
        usedAddr = 0;
        lastAvail = 0;
        usedIdx = 0;
        signalledUsed = 0;
        signalledValid = false;
        poppedSinceUsed = 0;
    }

    private static boolean inRam(GuestMemory mem, long address, long length) {
        return !wraps(address, length) && mem.isRam(address, length);
    }

    /** True when [address, address+length) does not fit below 2^64 (unsigned arithmetic). */
    static boolean wraps(long address, long length) {
        long end = address + length;
        return length != 0 && Long.compareUnsigned(end - 1, address) < 0;
    }

    // ---- device side ------------------------------------------------------------------------

    /**
     * The next available request, validated, or null when there is none (or the queue is not
     * enabled or broken). Bad chains are completed with length 0 and skipped.
     */
    public DescriptorChain pop() {
        while (true) {
            Layout l = layout;
            if (l == null || broken) {
                return null;
            }
            GuestMemory mem = host.memory();
            try {
                int availIdx = mem.readU16(l.avail + 2) & 0xffff;
                mem.acquireFence(); // ring entries are read after the index (2.7.13.3)
                int pending = (availIdx - lastAvail) & 0xffff;
                if (pending > l.size) {
                    markBroken(VirtioError.AVAIL_INDEX_JUMP,
                            "queue " + index + ": avail idx " + availIdx + ", device at " + lastAvail + ", size " + l.size);
                    return null;
                }
                if (pending == 0) {
                    if (!l.eventIdx) {
                        return null;
                    }
                    // Ask to be notified at the next entry, then look again: the driver may have
                    // added one after our read but before it could see avail_event (2.7.10).
                    mem.writeU16(l.used + 4 + 8L * l.size, (short) lastAvail);
                    VarHandle.fullFence();
                    if ((mem.readU16(l.avail + 2) & 0xffff) == availIdx) {
                        return null;
                    }
                    continue;
                }
                int head = mem.readU16(l.avail + 4 + 2L * (lastAvail & (l.size - 1))) & 0xffff;
                lastAvail = (lastAvail + 1) & 0xffff;
                if (poppedSinceUsed < l.size) {
                    poppedSinceUsed++; // never more than a ring's worth can be given back
                }
                if (head >= l.size) {
                    markBroken(VirtioError.BAD_HEAD_INDEX, "queue " + index + ": head " + head + " >= size " + l.size);
                    return null;
                }
                DescriptorChain chain = walk(l, mem, head);
                if (chain != null) {
                    return chain;
                }
                writeUsed(l, mem, head, 0); // give the bad request back to the driver, empty
            } catch (GuestMemoryException e) {
                markBroken(VirtioError.RING_ACCESS, "queue " + index + ": " + e.getMessage());
                return null;
            }
        }
    }

    /** Walks and validates the chain at {@code head}; null (after reporting) when it is bad. */
    private DescriptorChain walk(Layout l, GuestMemory mem, int head) throws GuestMemoryException {
        DescriptorChain chain = new DescriptorChain(mem, head);
        long table = l.desc;
        int tableSize = l.size;
        int i = head;
        int visited = 0;
        boolean inIndirect = false;
        boolean seenWritable = false;
        while (true) {
            if (visited >= tableSize) {
                return bad(VirtioError.CHAIN_TOO_LONG, head, "more than " + tableSize + " descriptors");
            }
            visited++;
            long d = table + (long) DESC_SIZE * i;
            long addr = mem.readU64(d);
            int len = mem.readU32(d + 8);
            int flags = mem.readU16(d + 12) & 0xffff;
            int next = mem.readU16(d + 14) & 0xffff;
            long ulen = Integer.toUnsignedLong(len);

            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!l.indirect) {
                    return bad(VirtioError.INDIRECT_NOT_NEGOTIATED, head, "descriptor " + i);
                }
                if (inIndirect) {
                    return bad(VirtioError.INDIRECT_NESTED, head, "descriptor " + i);
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    return bad(VirtioError.INDIRECT_WITH_NEXT, head, "descriptor " + i);
                }
                if (ulen == 0 || (ulen % DESC_SIZE) != 0) {
                    return bad(VirtioError.INDIRECT_BAD_LENGTH, head, "length " + ulen);
                }
                if (ulen / DESC_SIZE > l.size) {
                    return bad(VirtioError.INDIRECT_OVERSIZED, head, (ulen / DESC_SIZE) + " entries, queue size " + l.size);
                }
                if ((addr & (DESC_SIZE - 1)) != 0) {
                    return bad(VirtioError.INDIRECT_MISALIGNED, head, String.format("table at 0x%x", addr));
                }
                if (wraps(addr, ulen)) {
                    return bad(VirtioError.DESC_ADDRESS_OVERFLOW, head, String.format("indirect table 0x%x+0x%x", addr, ulen));
                }
                if (!mem.isRam(addr, ulen)) {
                    return bad(VirtioError.DESC_OUT_OF_RAM, head, String.format("indirect table 0x%x+0x%x", addr, ulen));
                }
                table = addr;
                tableSize = (int) (ulen / DESC_SIZE);
                i = 0;
                visited = 0;
                inIndirect = true;
                continue;
            }

            boolean writable = (flags & DESC_F_WRITE) != 0;
            if (writable) {
                seenWritable = true;
            } else if (seenWritable) {
                return bad(VirtioError.READABLE_AFTER_WRITABLE, head, "descriptor " + i);
            }
            if (ulen != 0) {
                if (wraps(addr, ulen)) {
                    return bad(VirtioError.DESC_ADDRESS_OVERFLOW, head, String.format("0x%x+0x%x", addr, ulen));
                }
                if (!mem.isRam(addr, ulen)) {
                    return bad(VirtioError.DESC_OUT_OF_RAM, head, String.format("0x%x+0x%x", addr, ulen));
                }
                chain.add(addr, len, writable);
            }
            if ((flags & DESC_F_NEXT) == 0) {
                return chain;
            }
            if (next >= tableSize) {
                return bad(VirtioError.BAD_NEXT_INDEX, head, "next " + next + " >= " + tableSize);
            }
            i = next;
        }
    }

    private DescriptorChain bad(VirtioError kind, int head, String detail) {
        host.errors().report(kind, "queue " + index + " head " + head + ": " + detail);
        return null;
    }

    private void markBroken(VirtioError kind, String detail) {
        broken = true;
        host.needsReset(kind, detail);
    }

    /** Completes {@code chain}: {@code written} bytes were written into its writable buffers. */
    public void addUsed(DescriptorChain chain, long written) {
        long max = chain.writableBytes();
        addUsed(chain.head(), (int) Math.min(Math.max(written, 0), Math.min(max, 0xffff_ffffL)));
    }

    /** Completes the request with head {@code head}; {@code len} is a u32. */
    public void addUsed(int head, int len) {
        Layout l = layout;
        if (l == null || broken) {
            return;
        }
        try {
            writeUsed(l, host.memory(), head, len);
        } catch (GuestMemoryException e) {
            markBroken(VirtioError.RING_ACCESS, "queue " + index + ": " + e.getMessage());
        }
    }

    /**
     * Completes {@code chains[0..count)} as one group, in order: all their used elements are
     * written before the used index moves past them at once, so the driver sees the whole group
     * or none of it. virtio-net's mergeable receive buffers need this (virtio 1.2 section
     * 5.1.6.4: the driver reads num_buffers in the first buffer and takes the others from the
     * used ring straight away). {@code written[i]} is clamped as in {@link #addUsed(DescriptorChain, long)}.
     */
    public void addUsedGroup(DescriptorChain[] chains, long[] written, int count) {
        Layout l = layout;
        if (l == null || broken || count <= 0) {
            return;
        }
        GuestMemory mem = host.memory();
        try {
            for (int i = 0; i < count; i++) {
                DescriptorChain c = chains[i];
                int len = (int) Math.min(Math.max(written[i], 0), Math.min(c.writableBytes(), 0xffff_ffffL));
                long elem = l.used + 4 + 8L * ((usedIdx + i) & (l.size - 1));
                mem.writeU32(elem, c.head());
                mem.writeU32(elem + 4, len);
            }
            mem.releaseFence(); // the elements are visible before the index that publishes them (2.7.8)
            usedIdx = (usedIdx + count) & 0xffff;
            poppedSinceUsed = 0;
            mem.writeU16(l.used + 2, (short) usedIdx);
        } catch (GuestMemoryException e) {
            markBroken(VirtioError.RING_ACCESS, "queue " + index + ": " + e.getMessage());
        }
    }

    private void writeUsed(Layout l, GuestMemory mem, int head, int len) throws GuestMemoryException {
        long elem = l.used + 4 + 8L * (usedIdx & (l.size - 1));
        mem.writeU32(elem, head);
        mem.writeU32(elem + 4, len);
        mem.releaseFence(); // the element is visible before the index that publishes it (2.7.8)
        usedIdx = (usedIdx + 1) & 0xffff;
        poppedSinceUsed = 0;
        mem.writeU16(l.used + 2, (short) usedIdx);
    }

    /**
     * Gives back the last {@code count} chains popped, unused, so that the next pops return them
     * again, in the same order. virtio 1.2 has no such operation for the driver to see, but the
     * device alone owns its last_avail_idx (2.7.13.3 only tells the driver what it may reuse once
     * it is in the used ring): stepping it back over entries the driver still counts as
     * outstanding is invisible to the driver, as long as none of those chains was completed.
     * Hence the check is conservative: it is refused when any used element was written since
     * those chains were popped (the device cannot tell whose it was), or when fewer were popped.
     * A device uses it to hand back chains it holds when it is paused for a snapshot, where the
     * saved last_avail_idx would otherwise be past buffers nobody holds any more.
     *
     * @return true when the queue was rewound; false (nothing changed) when it is refused
     */
    public boolean giveBack(int count) {
        Layout l = layout;
        if (l == null || broken || count < 0 || count > poppedSinceUsed) {
            return false;
        }
        lastAvail = (lastAvail - count) & 0xffff;
        poppedSinceUsed -= count;
        return true;
    }

    /**
     * Interrupts the driver if it asked to hear about the used entries added since the last
     * call (EVENT_IDX's used_event, else the NO_INTERRUPT flag; 2.7.7.2 and 2.7.10).
     *
     * @return whether an interrupt was sent
     */
    public boolean notifyIfNeeded() {
        Layout l = layout;
        if (l == null || broken) {
            return false;
        }
        GuestMemory mem = host.memory();
        VarHandle.fullFence(); // used idx store before the used_event / flags load
        try {
            boolean need;
            int old = signalledUsed;
            int now = usedIdx;
            if (l.eventIdx) {
                int event = mem.readU16(l.avail + 4 + 2L * l.size) & 0xffff;
                need = needEvent(event, now, old);
            } else {
                int flags = mem.readU16(l.avail) & 0xffff;
                need = now != old && (flags & AVAIL_F_NO_INTERRUPT) == 0;
            }
            if (now == old) {
                need = false; // nothing completed since the last look
            }
            signalledUsed = now;
            signalledValid = true;
            if (need) {
                host.signalUsed();
            }
            return need;
        } catch (GuestMemoryException e) {
            markBroken(VirtioError.RING_ACCESS, "queue " + index + ": " + e.getMessage());
            return false;
        }
    }

    /** vring_need_event of the spec (2.7.10): did [old, now) cross the driver's event index? */
    static boolean needEvent(int event, int now, int old) {
        return ((now - event - 1) & 0xffff) < ((now - old) & 0xffff);
    }

    /** True when the driver has made requests available that the device has not popped. */
    public boolean hasAvailable() {
        Layout l = layout;
        if (l == null || broken) {
            return false;
        }
        try {
            return (host.memory().readU16(l.avail + 2) & 0xffff) != lastAvail;
        } catch (GuestMemoryException e) {
            return false;
        }
    }

    // ---- state ------------------------------------------------------------------------------

    void saveState(StateWriter out) {
        out.putInt(configuredSize);
        out.putLong(descAddr);
        out.putLong(availAddr);
        out.putLong(usedAddr);
        out.putBoolean(layout != null);
        out.putBoolean(broken);
        out.putInt(lastAvail);
        out.putInt(usedIdx);
        out.putInt(signalledUsed);
        out.putBoolean(signalledValid);
    }

    void restoreState(StateReader in, long features) throws StateException {
        configuredSize = in.getInt();
        descAddr = in.getLong();
        availAddr = in.getLong();
        usedAddr = in.getLong();
        boolean enabled = in.getBoolean();
        boolean wasBroken = in.getBoolean();
        int la = in.getInt();
        int ui = in.getInt();
        int su = in.getInt();
        boolean sv = in.getBoolean();
        layout = null;
        if (enabled) {
            String problem = enable(features);
            if (problem != null) {
                throw new StateException("virtqueue " + index + ": " + problem);
            }
        }
        lastAvail = la & 0xffff;
        usedIdx = ui & 0xffff;
        signalledUsed = su & 0xffff;
        signalledValid = sv;
        poppedSinceUsed = 0; // a restored device holds nothing it could give back
        broken = wasBroken;
    }
}
