package hv.plugin.net.sockets;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * One event-loop thread for all the socket backends of a process, shared by reference count.
 * Why one: a VM's NICs move far less than a core's worth of frames, the host has few cores, and
 * one thread means the per-connection state needs no locks. Daemon, so it never keeps HV alive.
 */
final class SharedEventLoop {
    private static EventLoopGroup group;
    private static int users;

    private SharedEventLoop() {
    }

    static synchronized EventLoopGroup acquire() {
        if (users++ == 0) {
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("hv-net", true), NioIoHandler.newFactory());
        }
        return group;
    }

    static synchronized void release() {
        if (users > 0 && --users == 0) {
            group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS);
            group = null;
        }
    }
}
