package hv.procvm.fs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one wake-up source of poll, select and epoll: in-JVM files whose readiness can change
 * (pipes, eventfds) call {@link #changed} after each change, and a waiting poller sleeps on
 * {@link #MONITOR} until the sequence number moves (or its short timeout passes, for host streams,
 * which have no wake-up). One JVM-wide monitor keeps waiting on many files at once simple; the
 * cost is a lock and a notify per pipe/eventfd operation, and only while someone is polling.
 */
public final class Readiness {
    /** What pollers wait on (through {@link Waiter#await}, so guest signals interrupt them). */
    public static final Object MONITOR = new Object();
    private static final AtomicLong SEQ = new AtomicLong();
    private static final AtomicLong POLLERS = new AtomicLong();

    private Readiness() {
    }

    /** The current sequence number: read it before a scan, then wait until it differs. */
    public static long sequence() {
        return SEQ.get();
    }

    /** A file's readiness may have changed: wakes the pollers, if any. */
    public static void changed() {
        SEQ.incrementAndGet();
        if (POLLERS.get() != 0) {
            synchronized (MONITOR) {
                MONITOR.notifyAll();
            }
        }
    }

    /**
     * Waits until the sequence number differs from {@code seen} or {@code timeoutNanos} pass.
     * Returns false when the waiter was interrupted (a signal, or the process exiting).
     */
    public static boolean await(Waiter waiter, long seen, long timeoutNanos) {
        POLLERS.incrementAndGet();
        try {
            return waiter.await(MONITOR, () -> SEQ.get() != seen, timeoutNanos);
        } finally {
            POLLERS.decrementAndGet();
        }
    }
}
