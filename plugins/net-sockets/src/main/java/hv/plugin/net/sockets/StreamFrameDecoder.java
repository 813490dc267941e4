package hv.plugin.net.sockets;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * Splits a TCP byte stream into Ethernet frames, each preceded by its length as a 4-byte
 * big-endian integer: the framing of QEMU's {@code -netdev stream} and {@code -netdev socket}.
 *
 * <p>A plain state machine, not a Netty handler, so that the reader can stop right after a
 * frame the frontend refused and continue from the same byte later (see {@link StreamPeer}).
 * Frames that lie whole in one socket read are handed out as a view of that buffer (no copy);
 * a frame split across reads is assembled in one reusable buffer of max-frame bytes, so a
 * connection never holds more than that. Frames above max-frame are skipped as they stream by,
 * never buffered.
 */
final class StreamFrameDecoder {

    /** Receives each decoded frame; returns false to stop decoding right after it. */
    interface FrameHandler {
        boolean onFrame(ByteBuffer frame);
    }

    enum Result {
        /** Everything readable was consumed. */
        CONSUMED,
        /** The handler refused a frame; the buffer's remaining bytes are not consumed yet. */
        STOPPED,
        /** The length prefix was 0 or insane: the stream cannot be resynchronised. */
        BAD_LENGTH
    }

    private final int maxFrame;
    private final Counters counters;
    private final ByteBuffer assembly;
    private int header;
    private int headerBytes;
    /** The length of the frame being read, or -1 while reading a length prefix. */
    private int bodyLength = -1;
    private int skipRemaining;

    StreamFrameDecoder(int maxFrame, Counters counters) {
        this.maxFrame = maxFrame;
        this.counters = counters;
        this.assembly = ByteBuffer.allocate(maxFrame);
    }

    Result feed(ByteBuf in, FrameHandler handler) {
        while (in.isReadable()) {
            if (skipRemaining > 0) {
                int n = Math.min(skipRemaining, in.readableBytes());
                in.skipBytes(n);
                skipRemaining -= n;
                continue;
            }
            if (bodyLength < 0) {
                while (headerBytes < 4 && in.isReadable()) {
                    header = (header << 8) | in.readUnsignedByte();
                    headerBytes++;
                }
                if (headerBytes < 4) {
                    return Result.CONSUMED;
                }
                int length = header;
                header = 0;
                headerBytes = 0;
                // Signed compare on purpose: 0x80000000 and above are negative and as bad as 0.
                if (length <= 0 || length > FrameLimits.MAX_SANE_LENGTH) {
                    counters.inc(Counter.RX_BAD_LENGTH);
                    return Result.BAD_LENGTH;
                }
                if (length > maxFrame) {
                    counters.inc(Counter.RX_OVERSIZE);
                    skipRemaining = length;
                    continue;
                }
                if (length < FrameLimits.MIN_FRAME) {
                    counters.inc(Counter.RX_RUNT);
                    skipRemaining = length;
                    continue;
                }
                bodyLength = length;
                assembly.clear().limit(length);
            }
            ByteBuffer frame;
            if (assembly.position() == 0 && in.readableBytes() >= bodyLength) {
                frame = in.nioBuffer(in.readerIndex(), bodyLength);
                in.skipBytes(bodyLength);
            } else {
                int n = Math.min(assembly.remaining(), in.readableBytes());
                int end = assembly.position() + n;
                in.readBytes(assembly.limit(end));
                assembly.limit(bodyLength);
                if (assembly.hasRemaining()) {
                    continue;
                }
                frame = assembly.flip();
            }
            bodyLength = -1;
            if (!handler.onFrame(frame)) {
                return Result.STOPPED;
            }
        }
        return Result.CONSUMED;
    }
}
