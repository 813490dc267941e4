package hv.plugin.net.sockets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamFrameDecoderTest {
    private final Counters counters = new Counters();
    private final List<byte[]> out = new ArrayList<>();

    private boolean collect(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.add(a);
        return true;
    }

    private static ByteBuf framed(byte[]... frames) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] f : frames) {
            b.writeInt(f.length).writeBytes(f);
        }
        return b;
    }

    @Test
    void framesSplitAtEveryByteBoundaryAreReassembled() {
        byte[] a = TestSink.frame(60, 1);
        byte[] b = TestSink.frame(1514, 2);
        ByteBuf wire = framed(a, b);
        StreamFrameDecoder d = new StreamFrameDecoder(2000, counters);
        while (wire.isReadable()) {
            ByteBuf piece = wire.readSlice(Math.min(7, wire.readableBytes()));
            assertEquals(StreamFrameDecoder.Result.CONSUMED, d.feed(piece, this::collect));
        }
        assertEquals(2, out.size());
        assertArrayEquals(a, out.get(0));
        assertArrayEquals(b, out.get(1));
    }

    @Test
    void zeroAndHugeLengthPrefixesAreBad() {
        StreamFrameDecoder d = new StreamFrameDecoder(2000, counters);
        assertEquals(StreamFrameDecoder.Result.BAD_LENGTH, d.feed(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0}), this::collect));
        StreamFrameDecoder e = new StreamFrameDecoder(2000, counters);
        assertEquals(StreamFrameDecoder.Result.BAD_LENGTH, e.feed(Unpooled.wrappedBuffer(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}), this::collect));
        StreamFrameDecoder f = new StreamFrameDecoder(2000, counters);
        assertEquals(StreamFrameDecoder.Result.BAD_LENGTH, f.feed(Unpooled.buffer().writeInt(FrameLimits.MAX_SANE_LENGTH + 1), this::collect));
        assertEquals(3, counters.get(Counter.RX_BAD_LENGTH));
        assertEquals(0, out.size());
    }

    @Test
    void oversizeAndRuntFramesAreSkippedAndTheStreamStaysInSync() {
        byte[] big = new byte[3000];
        byte[] runt = new byte[10];
        byte[] good = TestSink.frame(100, 9);
        ByteBuf wire = framed(big, runt, good);
        StreamFrameDecoder d = new StreamFrameDecoder(2000, counters);
        while (wire.isReadable()) {
            assertEquals(StreamFrameDecoder.Result.CONSUMED, d.feed(wire.readSlice(Math.min(1000, wire.readableBytes())), this::collect));
        }
        assertEquals(1, counters.get(Counter.RX_OVERSIZE));
        assertEquals(1, counters.get(Counter.RX_RUNT));
        assertEquals(1, out.size());
        assertArrayEquals(good, out.get(0));
    }

    @Test
    void aRefusedFrameStopsDecodingRightAfterIt() {
        byte[] a = TestSink.frame(60, 1);
        byte[] b = TestSink.frame(61, 2);
        byte[] c = TestSink.frame(62, 3);
        ByteBuf wire = framed(a, b, c);
        StreamFrameDecoder d = new StreamFrameDecoder(2000, counters);
        List<Integer> seen = new ArrayList<>();
        StreamFrameDecoder.Result r = d.feed(wire, f -> {
            seen.add(f.remaining());
            return f.remaining() != 61;
        });
        assertEquals(StreamFrameDecoder.Result.STOPPED, r);
        assertEquals(List.of(60, 61), seen);
        assertEquals(c.length + 4, wire.readableBytes(), "the rest stays unread");
        assertEquals(StreamFrameDecoder.Result.CONSUMED, d.feed(wire, this::collect));
        assertArrayEquals(c, out.get(0));
    }
}
