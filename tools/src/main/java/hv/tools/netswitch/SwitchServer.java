package hv.tools.netswitch;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * {@code hv switch}'s server: accepts ports on a TCP address and runs the {@link SwitchCore}
 * on one event-loop thread. Ports are connections speaking the stream framing; a port that
 * closes leaves the switch and its addresses are forgotten.
 */
public final class SwitchServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("hv.switch");

    private final SwitchConfig config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final SwitchCore core;
    private Channel server;
    /** Connections refused because --max-ports were connected; on the loop only. */
    private long portsRefused;

    public SwitchServer(SwitchConfig config) {
        this(config, System::nanoTime);
    }

    SwitchServer(SwitchConfig config, LongSupplier clock) {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hv-switch", true), NioIoHandler.newFactory());
        this.loop = group.next();
        this.core = new SwitchCore(config.maxMacs(), config.ageingNanos(), clock, loop::execute);
    }

    /** Binds and starts forwarding; returns the bound address. */
    public InetSocketAddress start() throws IOException {
        WriteBufferWaterMark mark = new WriteBufferWaterMark(config.portBufferBytes() / 2, config.portBufferBytes());
        ServerBootstrap b = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, mark)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (core.portCount() >= config.maxPorts()) {
                            portsRefused++;
                            LOG.log(System.Logger.Level.WARNING, "refusing " + ch.remoteAddress() + ": " + config.maxPorts() + " ports in use");
                            ch.close();
                            return;
                        }
                        ch.pipeline().addLast(new PortFrameHandler(core, config.maxFrame()));
                    }
                });
        ChannelFuture f = b.bind(config.listen()).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
            throw new IOException("cannot listen on " + config.listen() + ": " + f.cause().getMessage(), f.cause());
        }
        server = f.channel();
        // Lookups age entries lazily; the sweep frees the table of stations that went silent.
        long sweep = Math.max(TimeUnit.SECONDS.toNanos(1), Math.min(config.ageingNanos() / 2, TimeUnit.SECONDS.toNanos(30)));
        loop.scheduleAtFixedRate(core::expire, sweep, sweep, TimeUnit.NANOSECONDS);
        return (InetSocketAddress) server.localAddress();
    }

    /** A snapshot of the counters, taken on the switch thread. */
    public String statsText() {
        try {
            return loop.submit(() -> core.stats().format() + (portsRefused > 0 ? "ports refused " + portsRefused + "\n" : ""))
                    .get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(statistics unavailable: interrupted)\n";
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            return "(statistics unavailable: " + e + ")\n";
        }
    }

    /** Counters for tests and the benchmark. */
    SwitchStats stats() throws Exception {
        return loop.submit(core::stats).get(2, TimeUnit.SECONDS);
    }

    /** Frames received on all ports so far (for the benchmark). */
    public long framesReceived() throws Exception {
        return stats().totalRxFrames();
    }

    SwitchCore core() {
        return core;
    }

    EventLoop loop() {
        return loop;
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        server.closeFuture().await();
    }

    /** Stops accepting and lets {@link #awaitClose()} return; ports stay until {@link #close()}. */
    public void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
