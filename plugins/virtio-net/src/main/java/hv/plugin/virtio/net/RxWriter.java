package hv.plugin.virtio.net;

import hv.api.device.GuestMemoryException;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.Virtqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * Writes received frames into the guest's receive buffers (virtio 1.2 section 5.1.6.4), on the
 * worker thread.
 *
 * <p>Without VIRTIO_NET_F_MRG_RXBUF each frame takes one descriptor chain, header first, with
 * num_buffers = 1 (5.1.6.4.1). A chain too small for the frame (the driver posts 1526-byte
 * buffers when it negotiated no large-receive feature, 5.1.6.3.1) is not wasted: the frame is
 * dropped and counted, and the chain is kept for the next frame, so the guest never sees an
 * empty completion.
 *
 * <p>With MRG_RXBUF a frame may spread over several chains: the header goes at the start of the
 * first, num_buffers says how many chains were used, and the frame's bytes fill them in order
 * (5.1.6.4, 5.1.6.4.2). Chains are popped until their writable room holds header and frame;
 * those are completed as one group ({@link Virtqueue#addUsedGroup}) because the driver, on
 * seeing the first, takes the other num_buffers - 1 from the used ring at once (a driver that
 * found them missing would drop the frame). Chains popped but not needed yet (the room was not
 * enough and the guest had no more buffers) are held for the next attempt, and given back to the
 * queue when the device pauses ({@link #giveBack}), so that a snapshot does not lose them. A frame that even
 * the whole ring cannot hold is dropped. Used lengths are what was really written, never what
 * the driver claimed the buffers hold.
 */
final class RxWriter {

    enum Outcome {
        DELIVERED,
        /** The guest has no receive buffer posted: the frame waits. */
        NO_BUFFERS,
        /** The frame does not fit the guest's buffers: drop it. */
        TOO_BIG
    }

    /** The smallest receive buffer that can hold anything: the header and an Ethernet header. */
    static final int MIN_USEFUL = VirtioNetHeader.SIZE + 14;

    private final ByteBuffer header = ByteBuffer.allocate(VirtioNetHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    /** Chains popped but not used yet, oldest first; at most one without MRG_RXBUF. */
    private final DescriptorChain[] held;
    /** Bytes written per chain of the group being completed (parallel to {@link #held}). */
    private final long[] written;
    private int heldCount;
    /** Sum of the held chains' writable bytes. */
    private long heldRoom;
    private final NetCounters counters;
    /** Tells the transport's error log (counted, logged once) about a driver's bad receive buffer. */
    private final Consumer<String> badBuffer;

    /**
     * @param maxChains the largest queue size the driver may choose (the most chains one frame can use)
     * @param badBuffer reports a receive buffer too small for anything (a driver bug)
     */
    RxWriter(int maxChains, NetCounters counters, Consumer<String> badBuffer) {
        this.held = new DescriptorChain[Math.max(1, maxChains)];
        this.written = new long[held.length];
        this.counters = counters;
        this.badBuffer = badBuffer;
    }

    /**
     * @param checkChecksum VIRTIO_NET_F_GUEST_CSUM was negotiated: mark frames whose transport
     *                      checksum verifies with DATA_VALID, so the guest need not check them
     * @param mergeable     VIRTIO_NET_F_MRG_RXBUF was negotiated: a frame may use several chains
     */
    Outcome deliver(Virtqueue queue, RxFrame frame, boolean checkChecksum, boolean mergeable) throws GuestMemoryException {
        long needed = (long) VirtioNetHeader.SIZE + frame.length;
        // Without MRG_RXBUF a chain must hold the header and an Ethernet header to be of any use;
        // with it every buffer must hold at least the header (5.1.6.3.1) and the frame may go on
        // in the next ones.
        int minChain = mergeable ? VirtioNetHeader.SIZE : MIN_USEFUL;
        while (heldCount == 0 || mergeable && heldRoom < needed) {
            if (heldCount == held.length || heldCount > 0 && heldCount >= queue.size()) {
                return Outcome.TOO_BIG; // the whole ring cannot hold it: the held chains serve the next frame
            }
            DescriptorChain chain = queue.pop();
            if (chain == null) {
                return Outcome.NO_BUFFERS;
            }
            if (chain.writableBytes() < minChain) {
                counters.inc(NetCounter.RX_BAD_BUFFERS);
                badBuffer.accept("receive buffer of " + chain.writableBytes() + " writable bytes, less than " + minChain);
                queue.addUsed(chain, 0); // hand it straight back, empty
                continue;
            }
            held[heldCount++] = chain;
            heldRoom += chain.writableBytes();
        }
        if (heldRoom < needed) {
            return Outcome.TOO_BIG; // one chain only (no MRG_RXBUF) and it is too small: keep it
        }
        int used = fill(frame, needed, checkChecksum);
        queue.addUsedGroup(held, written, used);
        if (used > 1) {
            counters.inc(NetCounter.RX_MERGED_FRAMES);
        }
        release(used);
        return Outcome.DELIVERED;
    }

    /** Writes header and frame across the first held chains; returns how many it used. */
    private int fill(RxFrame frame, long needed, boolean checkChecksum) throws GuestMemoryException {
        int count = 0;
        long room = 0;
        while (room < needed) {
            room += held[count++].writableBytes();
        }
        header.clear();
        for (int i = 0; i < VirtioNetHeader.SIZE; i++) {
            header.put(i, (byte) 0); // flags 0, gso NONE: a plain, complete frame
        }
        header.putShort(VirtioNetHeader.OFF_NUM_BUFFERS, (short) count);
        if (checkChecksum && ChecksumOffload.transportChecksumValid(frame.data, frame.length)) {
            header.put(VirtioNetHeader.OFF_FLAGS, (byte) VirtioNetHeader.F_DATA_VALID);
        }
        DescriptorChain first = held[0];
        first.write(0, header);
        int offset = 0;
        for (int i = 0; i < count; i++) {
            DescriptorChain c = held[i];
            long at = i == 0 ? VirtioNetHeader.SIZE : 0;
            int n = (int) Math.min(c.writableBytes() - at, frame.length - offset);
            if (n > 0) {
                c.write(at, frame.view.clear().position(offset).limit(offset + n));
            }
            offset += n;
            written[i] = at + n;
        }
        return count;
    }

    /** Forgets the first {@code count} held chains (completed) and moves the rest to the front. */
    private void release(int count) {
        for (int i = 0; i < count; i++) {
            heldRoom -= held[i].writableBytes();
        }
        System.arraycopy(held, count, held, 0, heldCount - count);
        for (int i = heldCount - count; i < heldCount; i++) {
            held[i] = null;
        }
        heldCount -= count;
    }

    /**
     * Gives the held chains back to {@code queue} ({@link Virtqueue#giveBack}) so that they are
     * popped again, in order, by this device after it resumes or by the device a snapshot is
     * restored into; the saved ring index would otherwise be past buffers nobody holds.
     *
     * @return how many chains stay held because the queue refused (a used element was written
     *         after they were popped: a bad buffer between them, or a frame completed with some
     *         of the chains held for a bigger one); 0 normally
     */
    int giveBack(Virtqueue queue) {
        if (heldCount == 0 || !queue.giveBack(heldCount)) {
            return heldCount;
        }
        clear();
        return 0;
    }

    /** Forgets the held chains (device reset: the ring they came from is gone). */
    void clear() {
        for (int i = 0; i < heldCount; i++) {
            held[i] = null;
        }
        heldCount = 0;
        heldRoom = 0;
    }
}
