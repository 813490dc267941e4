package hv.plugin.virtio.net;

import hv.api.device.GuestMemoryException;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.Virtqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes received frames into the guest's receive buffers (virtio 1.2 section 5.1.6.4), on the
 * worker thread. Without VIRTIO_NET_F_MRG_RXBUF each frame takes one descriptor chain, header
 * first, with num_buffers = 1 (5.1.6.4.1).
 *
 * <p>MRG_RXBUF is not offered: spreading a frame over several chains needs their used-ring
 * entries published together (a driver that sees the first entry reads num_buffers and takes
 * the rest at once), which {@link Virtqueue#addUsed} publishes one by one.
 *
 * <p>A chain too small for the frame (the driver posts 1526-byte buffers when it negotiated no
 * large-receive feature, 5.1.6.3.1) is not wasted: the frame is dropped and counted, and the
 * chain is kept for the next frame, so the guest never sees an empty completion.
 */
final class RxWriter {

    enum Outcome {
        DELIVERED,
        /** The guest has no receive buffer posted: the frame waits. */
        NO_BUFFERS,
        /** The frame does not fit the guest's buffers: drop it. */
        TOO_BIG
    }

    private final ByteBuffer header = ByteBuffer.allocate(VirtioNetHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    /** The smallest receive buffer that can hold anything: the header and an Ethernet header. */
    static final int MIN_USEFUL = VirtioNetHeader.SIZE + 14;

    /** A chain popped but not used yet (it was too small for the frame before). */
    private DescriptorChain held;
    /** Chains given back empty because they could not hold any frame. */
    long unusable;

    /**
     * @param checkChecksum VIRTIO_NET_F_GUEST_CSUM was negotiated: mark frames whose transport
     *                      checksum verifies with DATA_VALID, so the guest need not check them
     */
    Outcome deliver(Virtqueue queue, RxFrame frame, boolean checkChecksum) throws GuestMemoryException {
        DescriptorChain chain = held;
        while (chain == null) {
            chain = queue.pop();
            if (chain == null) {
                return Outcome.NO_BUFFERS;
            }
            if (chain.writableBytes() < MIN_USEFUL) {
                // Cannot hold any frame (a driver bug): hand it straight back, empty.
                unusable++;
                queue.addUsed(chain, 0);
                chain = null;
            }
        }
        held = chain;
        long needed = (long) VirtioNetHeader.SIZE + frame.length;
        if (chain.writableBytes() < needed) {
            return Outcome.TOO_BIG;
        }
        header.clear();
        for (int i = 0; i < VirtioNetHeader.SIZE; i++) {
            header.put(i, (byte) 0); // flags 0, gso NONE: a plain, complete frame
        }
        header.putShort(VirtioNetHeader.OFF_NUM_BUFFERS, (short) 1);
        if (checkChecksum && ChecksumOffload.transportChecksumValid(frame.data, frame.length)) {
            header.put(VirtioNetHeader.OFF_FLAGS, (byte) VirtioNetHeader.F_DATA_VALID);
        }
        chain.write(0, header);
        chain.write(VirtioNetHeader.SIZE, ByteBuffer.wrap(frame.data, 0, frame.length));
        held = null;
        queue.addUsed(chain, needed);
        return Outcome.DELIVERED;
    }

    /** Forgets the held chain (device reset: the ring it came from is gone). */
    void clear() {
        held = null;
    }
}
