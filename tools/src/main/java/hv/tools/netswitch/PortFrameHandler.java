package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * The receive side of one switch port: cuts the byte stream into wire frames (4-byte
 * big-endian length + Ethernet frame, QEMU's stream framing) and hands each to the core
 * without copying. Frames shorter than an Ethernet header or longer than max-frame are skipped
 * and counted; a length prefix of 0 or beyond any sane frame means the peer does not speak
 * the framing, and the port is disconnected.
 */
final class PortFrameHandler extends ByteToMessageDecoder {
    private static final System.Logger LOG = System.getLogger("hv.switch");
    /** Above this a length prefix is garbage, not a frame (QEMU's own buffer is 69632 bytes). */
    static final int MAX_SANE_LENGTH = 256 * 1024;
    static final int MIN_FRAME = 14;

    private final SwitchCore core;
    private final int maxFrame;
    private SwitchPort port;
    private int skipRemaining;
    private boolean broken;

    PortFrameHandler(SwitchCore core, int maxFrame) {
        this.core = core;
        this.maxFrame = maxFrame;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        port = core.addPort(String.valueOf(ctx.channel().remoteAddress()).replaceFirst("^/", ""), new ChannelOutlet(ctx.channel()));
        LOG.log(System.Logger.Level.INFO, port + " joined");
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!broken) {
            if (skipRemaining > 0) {
                int n = Math.min(skipRemaining, in.readableBytes());
                in.skipBytes(n);
                skipRemaining -= n;
                if (skipRemaining > 0) {
                    return;
                }
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int length = in.getInt(in.readerIndex());
            if (length <= 0 || length > MAX_SANE_LENGTH) {
                port.rxBadLength++;
                broken = true;
                in.skipBytes(in.readableBytes());
                LOG.log(System.Logger.Level.WARNING, port + " sent a bad length prefix (" + Integer.toUnsignedString(length) + "); disconnecting it");
                ctx.close();
                return;
            }
            if (length > maxFrame || length < MIN_FRAME) {
                port.rxDropped++;
                in.skipBytes(4);
                skipRemaining = length;
                continue;
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            ByteBuf wire = in.readSlice(4 + length);
            core.forward(port, wire);
        }
        in.skipBytes(in.readableBytes());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (port != null) {
            core.removePort(port);
            LOG.log(System.Logger.Level.INFO, port + " left");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, port + ": " + cause);
        ctx.close();
    }
}
