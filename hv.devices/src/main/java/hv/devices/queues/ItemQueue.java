package hv.devices.queues;

import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * A bounded multi-producer single-consumer queue of work items (JCTools' MPSC array queue):
 * vCPUs or backend threads produce, one device worker consumes. Never blocks; a full queue
 * refuses the item and the producer decides (drop and count, or retry later).
 */
public final class ItemQueue<T> {

    private final MpscAtomicArrayQueue<T> queue;

    public ItemQueue(int capacity) {
        this.queue = new MpscAtomicArrayQueue<>(Math.max(capacity, 4));
    }

    public boolean offer(T item) {
        return queue.offer(item);
    }

    /** Consumer side only: the next item or null. */
    public T poll() {
        return queue.poll();
    }

    /** Consumer side only: the next item without removing it, or null. */
    public T peek() {
        return queue.peek();
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
}
