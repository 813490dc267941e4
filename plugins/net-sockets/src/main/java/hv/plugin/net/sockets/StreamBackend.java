package hv.plugin.net.sockets;

import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoop;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A NIC backend over one TCP connection at a time, framed as QEMU's {@code -netdev stream}.
 * Subclasses decide how the connection comes about: {@link ConnectingStreamBackend} dials and
 * redials, {@link ListeningStreamBackend} accepts one peer.
 */
abstract sealed class StreamBackend implements NetworkBackend permits ConnectingStreamBackend, ListeningStreamBackend {
    protected final String name;
    protected final FrameSink sink;
    protected final StreamSettings settings;
    protected final Counters counters = new Counters();
    /** The one event loop this backend's sockets, timers and state live on. */
    protected final EventLoop loop;
    /** The connection frames go to, or null while the link is down. */
    protected final AtomicReference<StreamPeer> peer = new AtomicReference<>();
    protected volatile boolean closed;

    StreamBackend(String name, FrameSink sink, StreamSettings settings) {
        this.name = name;
        this.sink = sink;
        this.settings = settings;
        this.loop = SharedEventLoop.acquire().next();
    }

    static WriteBufferWaterMark waterMark(long budget) {
        int high = (int) Math.min(Integer.MAX_VALUE, budget);
        return new WriteBufferWaterMark(high / 2, high);
    }

    /** A new connection's handler; no Nagle (frames are latency-bound packets), the transmit water mark. */
    StreamPeer newPeer(Channel ch) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        ch.config().setWriteBufferWaterMark(waterMark(settings.txBudgetBytes()));
        return new StreamPeer(this, ch, sink, counters, settings.maxFrame(), settings.txBudgetBytes());
    }

    /** On the event loop: a connection became the link. */
    void peerUp(StreamPeer p) {
        if (closed) {
            p.channel().close();
            return;
        }
        StreamPeer prev = peer.getAndSet(p);
        if (prev != null && prev != p) {
            prev.channel().close();
        }
        counters.inc(Counter.CONNECTS);
        sink.linkChanged(true);
    }

    /** On the event loop: a connection ended. */
    void peerDown(StreamPeer p) {
        if (peer.compareAndSet(p, null)) {
            counters.inc(Counter.DISCONNECTS);
            sink.linkChanged(false);
        }
        afterPeerDown();
    }

    /** What to do once the link went down (the connecting side redials). */
    abstract void afterPeerDown();

    @Override
    public boolean send(ByteBuffer frame) {
        int length = frame.remaining();
        if (length < FrameLimits.MIN_FRAME || length > settings.maxFrame()) {
            counters.inc(Counter.TX_INVALID);
            return false;
        }
        StreamPeer p = peer.get();
        if (p == null) {
            counters.inc(Counter.TX_LINK_DOWN);
            return false;
        }
        Transmitter tx = p.transmitter();
        int wireBytes = length + 4;
        if (!tx.hasRoom(wireBytes)) {
            counters.inc(Counter.TX_DROPPED);
            return false;
        }
        ByteBuf buf = p.channel().alloc().directBuffer(wireBytes);
        buf.writeInt(length);
        buf.writeBytes(frame.duplicate());
        tx.submit(buf, wireBytes);
        counters.inc(Counter.TX_FRAMES);
        counters.add(Counter.TX_BYTES, length);
        return true;
    }

    @Override
    public boolean linkUp() {
        return peer.get() != null;
    }

    @Override
    public void resumeReceive() {
        StreamPeer p = peer.get();
        if (p != null) {
            p.channel().eventLoop().execute(p::resume);
        }
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
            closeSockets();
        } finally {
            SharedEventLoop.release();
        }
    }

    /** Closes the connection and any listening socket; waits briefly so the port is free when close returns. */
    abstract void closeSockets();

    @Override
    public String toString() {
        return name;
    }
}
