package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.net.FrameSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listening side of a stream link ({@code listen=HOST:PORT}). A cable has two ends: while
 * one peer is connected, further peers are refused (closed at once, counted), as QEMU's
 * {@code -netdev stream,server=on} does; when the peer leaves, the next one may come.
 */
final class ListeningStreamBackend extends StreamBackend {
    private static final System.Logger LOG = System.getLogger("hv.net.stream");

    private final Channel server;
    /** The accepted connection that owns the link; on the event loop only. */
    private StreamPeer claimed;

    ListeningStreamBackend(String name, InetSocketAddress local, FrameSink sink, StreamSettings settings) throws DeviceConfigException {
        super(name, sink, settings);
        ServerBootstrap b = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (closed || claimed != null) {
                            counters.inc(Counter.PEERS_REJECTED);
                            LOG.log(System.Logger.Level.WARNING, name + ": refusing " + ch.remoteAddress() + ": a peer is already connected");
                            ch.close();
                            return;
                        }
                        claimed = newPeer(ch);
                        ch.pipeline().addLast(claimed);
                    }
                });
        ChannelFuture bound = b.bind(local).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            SharedEventLoop.release();
            throw new DeviceConfigException(name + ": cannot listen on " + local + ": " + bound.cause().getMessage());
        }
        server = bound.channel();
    }

    /** The bound address (useful when port 0 was asked for). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    void peerDown(StreamPeer p) {
        if (claimed == p) {
            claimed = null;
        }
        super.peerDown(p);
    }

    @Override
    void afterPeerDown() {
    }

    @Override
    void closeSockets() {
        ChannelFuture f = server.close();
        StreamPeer p = peer.get();
        ChannelFuture g = p != null ? p.channel().close() : null;
        if (!loop.inEventLoop()) {
            f.awaitUninterruptibly(1, TimeUnit.SECONDS);
            if (g != null) {
                g.awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }
}
