package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A NIC backend over UDP ({@code local=HOST:PORT,remote=HOST:PORT}): one Ethernet frame per
 * datagram, no header, as QEMU's {@code -netdev dgram}. There is no connection, so the link is
 * up from the start. Only datagrams from {@code remote} are taken (another local process cannot
 * inject frames by guessing the port); others are dropped and counted.
 *
 * <p>Backpressure: when the frontend refuses a frame, reading stops; the kernel's socket buffer
 * then fills and drops further datagrams, which is what UDP promises anyway.
 */
final class DgramBackend extends SimpleChannelInboundHandler<DatagramPacket> implements NetworkBackend {
    private static final System.Logger LOG = System.getLogger("hv.net.dgram");

    private final String name;
    private final FrameSink sink;
    private final InetSocketAddress remote;
    private final int maxFrame;
    private final Counters counters = new Counters();
    private final EventLoop loop;
    private final Channel channel;
    private final Transmitter transmitter;
    private volatile boolean closed;
    /** On the event loop only, as is {@link #held}. */
    private boolean paused;
    private final ArrayDeque<DatagramPacket> held = new ArrayDeque<>();
    /** More than Netty's datagrams per read (16), so a paused batch is kept whole. */
    private static final int MAX_HELD = 64;

    DgramBackend(String name, InetSocketAddress local, InetSocketAddress remote, FrameSink sink, int maxFrame, long txBudget)
            throws DeviceConfigException {
        super(false);
        this.name = name;
        this.sink = sink;
        this.remote = remote;
        this.maxFrame = maxFrame;
        this.loop = SharedEventLoop.acquire().next();
        // One byte more than the largest frame, so that a datagram too big for us shows as such
        // instead of being silently truncated into a plausible frame.
        Bootstrap b = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxFrame + 1))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, StreamBackend.waterMark(txBudget))
                .handler(this);
        ChannelFuture bound = b.bind(local).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            SharedEventLoop.release();
            throw new DeviceConfigException(name + ": cannot bind " + local + ": " + bound.cause().getMessage());
        }
        channel = bound.channel();
        transmitter = new Transmitter(channel, txBudget, counters);
        loop.execute(() -> sink.linkChanged(true));
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        if (paused) {
            // Netty reads datagrams in batches and hands out the rest of a batch even after
            // autoRead went off: keep those few, in order, for resumeReceive.
            if (held.size() < MAX_HELD) {
                held.addLast(packet);
            } else {
                counters.inc(Counter.RX_REFUSED);
                packet.release();
            }
            return;
        }
        deliver(packet);
    }

    /** Hands one datagram to the frontend and releases it; pauses reading when the frontend is full. */
    private void deliver(DatagramPacket packet) {
        try {
            if (!remote.equals(packet.sender())) {
                counters.inc(Counter.RX_FOREIGN);
                return;
            }
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > maxFrame) {
                counters.inc(Counter.RX_OVERSIZE);
                return;
            }
            if (length < FrameLimits.MIN_FRAME) {
                counters.inc(Counter.RX_RUNT);
                return;
            }
            if (sink.offer(content.nioBuffer())) {
                counters.inc(Counter.RX_FRAMES);
                counters.add(Counter.RX_BYTES, length);
            } else {
                counters.inc(Counter.RX_REFUSED);
                paused = true;
                counters.inc(Counter.RX_PAUSES);
                channel.config().setAutoRead(false);
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP port unreachable surfaces here while the peer is not up yet: not fatal for UDP.
        LOG.log(System.Logger.Level.DEBUG, name + ": " + cause);
    }

    @Override
    public boolean send(ByteBuffer frame) {
        int length = frame.remaining();
        if (length < FrameLimits.MIN_FRAME || length > maxFrame) {
            counters.inc(Counter.TX_INVALID);
            return false;
        }
        if (closed) {
            counters.inc(Counter.TX_LINK_DOWN);
            return false;
        }
        if (!transmitter.hasRoom(length)) {
            counters.inc(Counter.TX_DROPPED);
            return false;
        }
        ByteBuf buf = channel.alloc().directBuffer(length);
        buf.writeBytes(frame.duplicate());
        transmitter.submit(new DatagramPacket(buf, remote), length);
        counters.inc(Counter.TX_FRAMES);
        counters.add(Counter.TX_BYTES, length);
        return true;
    }

    @Override
    public boolean linkUp() {
        return !closed;
    }

    @Override
    public void resumeReceive() {
        loop.execute(() -> {
            if (!paused || closed) {
                return;
            }
            paused = false;
            DatagramPacket p;
            while (!paused && (p = held.pollFirst()) != null) {
                deliver(p);
            }
            if (!paused) {
                channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ChannelFuture f = channel.close();
            loop.execute(() -> {
                DatagramPacket p;
                while ((p = held.pollFirst()) != null) {
                    p.release();
                }
            });
            if (!loop.inEventLoop()) {
                f.awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        } finally {
            SharedEventLoop.release();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
