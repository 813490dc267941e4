package hv.plugin.net.sockets;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The guest-to-socket path of one channel. {@link #submit} runs on the frontend's thread and
 * only enqueues: the first frame after a drain schedules one task on the event loop, which
 * writes everything queued and flushes once, so a burst of guest frames costs one wake-up and
 * one system call rather than one each.
 *
 * <p>Memory is bounded by {@code budgetBytes}: the bytes queued here plus the bytes Netty still
 * holds for the socket (its write-buffer water mark, reported by {@link Channel#isWritable()}).
 * Past it the frame is dropped and counted; the frontend never waits.
 */
final class Transmitter {
    private final Channel channel;
    private final long budgetBytes;
    private final Counters counters;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    Transmitter(Channel channel, long budgetBytes, Counters counters) {
        this.channel = channel;
        this.budgetBytes = budgetBytes;
        this.counters = counters;
    }

    /** True when a frame of {@code bytes} fits the budget now; callers check before building the message. */
    boolean hasRoom(int bytes) {
        return channel.isWritable() && queuedBytes.get() + bytes <= budgetBytes;
    }

    /** Queues {@code msg} (a ByteBuf or DatagramPacket of {@code bytes} bytes); takes ownership of it. */
    void submit(Object msg, int bytes) {
        queuedBytes.addAndGet(bytes);
        queue.offer(new Pending(msg, bytes));
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private record Pending(Object msg, int bytes) {
    }

    /** On the event loop. The flag is cleared first: a frame queued after that schedules the next drain. */
    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        Pending p;
        while ((p = queue.poll()) != null) {
            queuedBytes.addAndGet(-p.bytes);
            if (channel.isActive()) {
                channel.write(p.msg, channel.voidPromise());
                wrote = true;
            } else {
                ReferenceCountUtil.release(p.msg);
                counters.inc(Counter.TX_LINK_DOWN);
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Frees what is still queued (the channel closed). On the event loop. */
    void discard() {
        drain();
    }
}
