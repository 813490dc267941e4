package hv.plugin.net.sockets;

import hv.api.net.FrameSink;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A frontend stand-in: a bounded queue of frame copies that refuses when full, and the link events seen. */
final class TestSink implements FrameSink {
    final BlockingQueue<byte[]> frames;
    final BlockingQueue<Boolean> linkEvents = new LinkedBlockingQueue<>();
    final AtomicInteger refused = new AtomicInteger();
    volatile int maxHeld;

    TestSink(int capacity) {
        frames = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public boolean offer(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        if (!frames.offer(copy)) {
            refused.incrementAndGet();
            return false;
        }
        maxHeld = Math.max(maxHeld, frames.size());
        return true;
    }

    @Override
    public void linkChanged(boolean up) {
        linkEvents.add(up);
    }

    byte[] take(Duration timeout) throws InterruptedException {
        byte[] f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + timeout);
        }
        return f;
    }

    void expectLink(boolean up, Duration timeout) throws InterruptedException {
        Boolean b = linkEvents.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (b == null) {
            throw new AssertionError("no link event within " + timeout + " (expected " + (up ? "up" : "down") + ")");
        }
        if (b != up) {
            throw new AssertionError("link went " + (b ? "up" : "down") + ", expected " + (up ? "up" : "down"));
        }
    }

    /** Waits until {@code cond} holds (counters are bumped just after the sink took the frame). */
    static void waitUntil(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** An Ethernet-shaped test frame: broadcast destination, a source MAC, payload bytes derived from {@code seq}. */
    static byte[] frame(int length, int seq) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        f[6] = 0x52;
        f[7] = 0x54;
        f[11] = (byte) seq;
        f[12] = 0x08;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        return f;
    }
}
