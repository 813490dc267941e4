package hv.devices.queues;

import org.jctools.queues.atomic.SpscAtomicArrayQueue;

/**
 * A bounded single-producer single-consumer byte queue (JCTools' SPSC array queue of boxed
 * bytes: {@code Byte.valueOf} is cached for every value, so nothing is allocated per byte).
 * Typical use: a reader thread produces host input, the device consumes it.
 */
public final class ByteQueue {

    private final SpscAtomicArrayQueue<Byte> queue;

    public ByteQueue(int capacity) {
        this.queue = new SpscAtomicArrayQueue<>(Math.max(capacity, 4));
    }

    /** Producer side: false when full. */
    public boolean offer(byte b) {
        return queue.offer(b);
    }

    /** Consumer side: the next byte (0..255) or -1 when empty. */
    public int poll() {
        Byte b = queue.poll();
        return b == null ? -1 : b & 0xff;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    public int capacity() {
        return queue.capacity();
    }

    /** Consumer side: drops everything queued. */
    public void clear() {
        while (queue.poll() != null) {
            // drain
        }
    }
}
