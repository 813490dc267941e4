package hv.plugin.net.sockets;

import hv.api.net.FrameSink;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The dialling side of a stream link ({@code connect=HOST:PORT}, also the {@code switch}
 * backend). It dials at once, and whenever the connection fails or drops it dials again after a
 * delay that doubles from 100 ms up to {@code backoff-max}, so a peer that restarts is picked up
 * without hammering it while it is away. A failure streak is logged once, not per attempt.
 */
final class ConnectingStreamBackend extends StreamBackend {
    private static final System.Logger LOG = System.getLogger("hv.net.stream");

    private final InetSocketAddress remote;
    private final Bootstrap bootstrap;
    // Touched on the event loop only.
    private long nextDelayMillis;
    private boolean streakLogged;
    private volatile Channel current;

    ConnectingStreamBackend(String name, InetSocketAddress remote, FrameSink sink, StreamSettings settings) {
        super(name, sink, settings);
        this.remote = remote;
        this.nextDelayMillis = settings.backoffInitialMillis();
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(newPeer(ch));
                    }
                });
    }

    /** Starts dialling; frames flow once the first connection is up. */
    ConnectingStreamBackend start() {
        loop.execute(this::dial);
        return this;
    }

    private void dial() {
        if (closed) {
            return;
        }
        ChannelFuture f = bootstrap.connect(remote);
        current = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                nextDelayMillis = settings.backoffInitialMillis();
                if (streakLogged) {
                    LOG.log(System.Logger.Level.INFO, name + ": connected to " + remote);
                }
                streakLogged = false;
                if (closed) {
                    f.channel().close();
                }
            } else {
                counters.inc(Counter.CONNECT_FAILURES);
                if (!streakLogged && !closed) {
                    streakLogged = true;
                    LOG.log(System.Logger.Level.WARNING, name + ": cannot connect to " + remote + " ("
                            + done.cause().getMessage() + "); retrying with backoff up to " + settings.backoffMaxMillis() + " ms");
                }
                redialLater();
            }
        });
    }

    private void redialLater() {
        if (closed) {
            return;
        }
        long delay = nextDelayMillis;
        nextDelayMillis = Math.min(nextDelayMillis * 2, settings.backoffMaxMillis());
        loop.schedule(this::dial, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    void afterPeerDown() {
        if (!closed) {
            LOG.log(System.Logger.Level.INFO, name + ": peer " + remote + " went away; redialling");
        }
        redialLater();
    }

    @Override
    void closeSockets() {
        Channel ch = current;
        if (ch != null) {
            ChannelFuture f = ch.close();
            if (!loop.inEventLoop()) {
                f.awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
    }
}
