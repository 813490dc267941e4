package hv.devices.virtio;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One validated request popped from a {@link Virtqueue}: its head index and its buffers, the
 * device-readable ones first, then the device-writable ones (virtio 1.2, 2.7.4.2). Every
 * buffer was checked to lie in guest RAM when the chain was popped, and the accessors below
 * only ever touch those buffers, so a device cannot be tricked into reading or writing other
 * memory. Offsets are logical: byte 0 of the readable part is the first byte of the first
 * readable buffer, whatever the segmentation.
 *
 * <p>Owned by the thread that popped it; complete it with {@link Virtqueue#addUsed}.
 */
public final class DescriptorChain {

    /** Visits guest-physical regions of a chain. */
    @FunctionalInterface
    public interface RegionVisitor {
        void visit(long guestAddress, int length) throws GuestMemoryException, java.io.IOException;
    }

    private final GuestMemory memory;
    private final int head;
    private long[] addresses = new long[4];
    private int[] lengths = new int[4];
    private int segments;
    private int readableSegments;
    private long readableBytes;
    private long writableBytes;

    DescriptorChain(GuestMemory memory, int head) {
        this.memory = memory;
        this.head = head;
    }

    /** Appends a buffer; the caller (the walk) guarantees readable ones come first. */
    void add(long address, int length, boolean writable) {
        if (segments == addresses.length) {
            addresses = Arrays.copyOf(addresses, segments * 2);
            lengths = Arrays.copyOf(lengths, segments * 2);
        }
        addresses[segments] = address;
        lengths[segments] = length;
        segments++;
        if (writable) {
            writableBytes += Integer.toUnsignedLong(length);
        } else {
            readableSegments++;
            readableBytes += Integer.toUnsignedLong(length);
        }
    }

    /** The head descriptor index, the id the used ring reports. */
    public int head() {
        return head;
    }

    public int segmentCount() {
        return segments;
    }

    public int readableSegmentCount() {
        return readableSegments;
    }

    public long address(int segment) {
        return addresses[checkSegment(segment)];
    }

    /** Length of a buffer (u32, so up to 4 GiB - 1: use as unsigned). */
    public long length(int segment) {
        return Integer.toUnsignedLong(lengths[checkSegment(segment)]);
    }

    public boolean isWritable(int segment) {
        return checkSegment(segment) >= readableSegments;
    }

    public long readableBytes() {
        return readableBytes;
    }

    public long writableBytes() {
        return writableBytes;
    }

    private int checkSegment(int segment) {
        if (segment < 0 || segment >= segments) {
            throw new IndexOutOfBoundsException("segment " + segment + " of " + segments);
        }
        return segment;
    }

    /**
     * Visits the readable bytes [offset, offset+length) as guest-physical regions. Visits less
     * when the readable part is shorter; returns the number of bytes visited.
     */
    public long visitReadable(long offset, long length, RegionVisitor visitor) throws GuestMemoryException, java.io.IOException {
        return visit(0, readableSegments, offset, length, visitor);
    }

    /** As {@link #visitReadable}, over the writable part. */
    public long visitWritable(long offset, long length, RegionVisitor visitor) throws GuestMemoryException, java.io.IOException {
        return visit(readableSegments, segments, offset, length, visitor);
    }

    private long visit(int from, int to, long offset, long length, RegionVisitor visitor) throws GuestMemoryException, java.io.IOException {
        if (offset < 0 || length <= 0) {
            return 0;
        }
        long skip = offset;
        long left = length;
        long done = 0;
        for (int i = from; i < to && left > 0; i++) {
            long segLen = Integer.toUnsignedLong(lengths[i]);
            if (skip >= segLen) {
                skip -= segLen;
                continue;
            }
            long n = Math.min(segLen - skip, left);
            // n <= segment length; a segment may exceed 2 GiB, so visit in int-sized pieces.
            long at = addresses[i] + skip;
            long rest = n;
            while (rest > 0) {
                int piece = (int) Math.min(rest, 1 << 30);
                visitor.visit(at, piece);
                at += piece;
                rest -= piece;
            }
            done += n;
            left -= n;
            skip = 0;
        }
        return done;
    }

    /** Copies readable bytes from {@code offset} into {@code dst}; returns the count copied. */
    public int read(long offset, ByteBuffer dst) throws GuestMemoryException {
        int want = dst.remaining();
        try {
            return (int) visitReadable(offset, want, (addr, len) -> {
                int lim = dst.limit();
                dst.limit(dst.position() + len);
                memory.read(addr, dst);
                dst.limit(lim);
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // not thrown by memory copies
        }
    }

    /** Copies {@code src} into writable bytes from {@code offset}; returns the count copied. */
    public int write(long offset, ByteBuffer src) throws GuestMemoryException {
        int want = src.remaining();
        try {
            return (int) visitWritable(offset, want, (addr, len) -> {
                int lim = src.limit();
                src.limit(src.position() + len);
                memory.write(addr, src);
                src.limit(lim);
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a little-endian value of {@code size} bytes (1..8) at a readable offset.
     *
     * @throws GuestMemoryException when the readable part is too short (reported as the address
     *         just past the chain's readable bytes)
     */
    public long readLittleEndian(long offset, int size) throws GuestMemoryException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.limit(size);
        if (read(offset, b) != size) {
            throw new GuestMemoryException(offset, size);
        }
        b.clear();
        return size == 8 ? b.getLong(0) : b.getLong(0) & ((1L << (size * 8)) - 1);
    }

    /** Writes {@code size} little-endian bytes (1..8) at a writable offset; false if it does not fit. */
    public boolean writeLittleEndian(long offset, int size, long value) throws GuestMemoryException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, value);
        b.limit(size);
        return write(offset, b) == size;
    }

    @Override
    public String toString() {
        return "chain(head=" + head + ", " + segments + " buffers, r=" + readableBytes + ", w=" + writableBytes + ")";
    }
}
