package hv.plugin.virtio.net;

import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.devices.queues.ItemQueue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The hand-off from the backend's thread to the device's worker. The backend's thread copies
 * each frame into a buffer (recycled through a free list, so the steady state allocates
 * nothing) and puts it on a bounded lock-free queue (JCTools through hv.devices.queues), then
 * raises the worker's receive signal. It never touches guest memory.
 *
 * <p>Bounded: at most {@code capacity} frames and {@code maxBytes} bytes wait. When full, the
 * frame is dropped, counted, and {@link #offer} answers false, which tells the backend to stop
 * reading; the worker calls {@link NetworkBackend#resumeReceive()} once the queue has drained to
 * half ({@link #resumeIfDrained}).
 */
final class RxPath implements FrameSink {
    /** Standard frames (up to 1514 bytes plus a VLAN tag) fit the pooled buffers. */
    static final int POOLED_SIZE = 2048;

    private final ItemQueue<RxFrame> ready;
    private final ItemQueue<RxFrame> free;
    private final int capacity;
    private final long maxBytes;
    private final int maxFrame;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final NetCounters counters;
    private final Runnable frameArrived;
    private final Consumer<Boolean> linkListener;
    /** A driver is running the NIC (DRIVER_OK); until then frames are dropped, not queued. */
    volatile boolean active;
    private volatile boolean linkUp;
    /** The backend was told to stop reading and waits for resumeReceive. */
    private volatile boolean backendPaused;

    RxPath(int capacity, int maxFrame, NetCounters counters, Runnable frameArrived, Consumer<Boolean> linkListener) {
        this.ready = new ItemQueue<>(capacity);
        this.free = new ItemQueue<>(capacity);
        this.capacity = ready.capacity();
        this.maxFrame = maxFrame;
        // Room for a full queue of standard frames, or 16 of the largest.
        this.maxBytes = Math.max((long) this.capacity * POOLED_SIZE, 16L * maxFrame);
        this.counters = counters;
        this.frameArrived = frameArrived;
        this.linkListener = linkListener;
    }

    // ---- backend thread ---------------------------------------------------------------------

    @Override
    public boolean offer(ByteBuffer frame) {
        int length = frame.remaining();
        if (!active) {
            counters.inc(NetCounter.RX_DROPPED_NO_DRIVER);
            return true;
        }
        if (length > maxFrame) {
            counters.inc(NetCounter.RX_DROPPED_TOO_BIG);
            return true;
        }
        if (queuedBytes.get() + length > maxBytes) {
            return refuse();
        }
        RxFrame f = length <= POOLED_SIZE ? free.poll() : null;
        if (f == null) {
            f = new RxFrame(Math.max(length, POOLED_SIZE));
        }
        frame.duplicate().get(f.data, 0, length);
        f.length = length;
        if (!ready.offer(f)) {
            recycle(f);
            return refuse();
        }
        queuedBytes.addAndGet(length);
        frameArrived.run();
        return true;
    }

    private boolean refuse() {
        counters.inc(NetCounter.RX_DROPPED_QUEUE_FULL);
        // Flag first, then wake the worker: its next look at the queue sees the flag, so the
        // resume cannot be missed even if it drains everything before we return.
        backendPaused = true;
        frameArrived.run();
        return false;
    }

    @Override
    public void linkChanged(boolean up) {
        if (linkUp != up) {
            linkUp = up;
            counters.inc(NetCounter.LINK_CHANGES);
            linkListener.accept(up);
        }
    }

    boolean linkUp() {
        return linkUp;
    }

    // ---- worker thread ----------------------------------------------------------------------

    RxFrame peek() {
        return ready.peek();
    }

    /** Removes the head frame (after {@link #peek}) and recycles its buffer. */
    void consumed(RxFrame f) {
        ready.poll();
        queuedBytes.addAndGet(-f.length);
        recycle(f);
    }

    private void recycle(RxFrame f) {
        if (f.data.length == POOLED_SIZE) {
            free.offer(f); // a full free list just lets the buffer go
        }
    }

    /** Drops everything waiting (device reset). */
    void clear() {
        RxFrame f;
        while ((f = ready.peek()) != null) {
            consumed(f);
        }
    }

    /** Lets a paused backend read again once the queue is down to half. */
    void resumeIfDrained(NetworkBackend backend) {
        if (backendPaused && ready.size() <= capacity / 2 && queuedBytes.get() <= maxBytes / 2) {
            backendPaused = false;
            if (backend != null) {
                backend.resumeReceive();
            }
        }
    }

    int queuedFrames() {
        return ready.size();
    }
}
