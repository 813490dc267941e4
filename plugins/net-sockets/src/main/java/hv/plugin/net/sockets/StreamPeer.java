package hv.plugin.net.sockets;

import hv.api.net.FrameSink;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One live TCP connection of a stream backend: decodes frames into the frontend's sink and
 * carries the guest's frames out through its {@link Transmitter}.
 *
 * <p>Backpressure: when the sink refuses a frame (the frontend's queue is full) that frame is
 * dropped (the sink counts it) and reading stops: autoRead goes off and the rest of the current
 * socket buffer is kept, unread, until {@link #resume()}. TCP's window then slows the peer
 * down, so memory stays bounded by one socket read instead of growing with the flood.
 *
 * <p>All methods except {@link #transmitter()} run on the channel's event loop.
 */
final class StreamPeer extends ChannelInboundHandlerAdapter implements StreamFrameDecoder.FrameHandler {
    private static final System.Logger LOG = System.getLogger("hv.net.stream");

    private final StreamBackend backend;
    private final FrameSink sink;
    private final Counters counters;
    private final StreamFrameDecoder decoder;
    private final Transmitter transmitter;
    private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean paused;
    /** Set on a bad length prefix: the stream cannot be trusted any more, the rest is discarded. */
    private boolean broken;

    StreamPeer(StreamBackend backend, Channel channel, FrameSink sink, Counters counters, int maxFrame, long txBudget) {
        this.backend = backend;
        this.sink = sink;
        this.counters = counters;
        this.decoder = new StreamFrameDecoder(maxFrame, counters);
        this.transmitter = new Transmitter(channel, txBudget, counters);
    }

    Transmitter transmitter() {
        return transmitter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        backend.peerUp(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (broken) {
            buf.release();
            return;
        }
        if (paused) {
            // Netty may finish the read it had started when autoRead went off: keep it, in order.
            unread.addLast(buf);
            return;
        }
        process(buf);
    }

    /** Decodes {@code buf}; releases it unless reading paused inside it. */
    private void process(ByteBuf buf) {
        switch (decoder.feed(buf, this)) {
            case CONSUMED -> buf.release();
            case STOPPED -> {
                if (buf.isReadable()) {
                    unread.addFirst(buf);
                } else {
                    buf.release();
                }
            }
            case BAD_LENGTH -> {
                buf.release();
                broken = true;
                LOG.log(System.Logger.Level.WARNING, "stream peer " + ctx.channel().remoteAddress()
                        + " sent a bad length prefix; closing the connection");
                ctx.close();
            }
        }
    }

    @Override
    public boolean onFrame(ByteBuffer frame) {
        int length = frame.remaining();
        if (sink.offer(frame)) {
            counters.inc(Counter.RX_FRAMES);
            counters.add(Counter.RX_BYTES, length);
            return true;
        }
        counters.inc(Counter.RX_REFUSED);
        if (!paused) {
            paused = true;
            counters.inc(Counter.RX_PAUSES);
            ctx.channel().config().setAutoRead(false);
        }
        return false;
    }

    /** The frontend has room again: decode what was kept, then read from the socket again. */
    void resume() {
        if (!paused || !ctx.channel().isActive()) {
            return;
        }
        paused = false;
        while (!paused && !broken && !unread.isEmpty()) {
            ByteBuf buf = unread.pollFirst();
            process(buf);
        }
        if (!paused && !broken && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ByteBuf b;
        while ((b = unread.poll()) != null) {
            b.release();
        }
        transmitter.discard();
        backend.peerDown(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are how peers die; the link-down path reports it.
        LOG.log(System.Logger.Level.DEBUG, "stream connection " + ctx.channel().remoteAddress() + ": " + cause);
        ctx.close();
    }

    Channel channel() {
        return ctx.channel();
    }
}
