package hv.procvm.fs;

import java.util.function.BooleanSupplier;

/**
 * The guest thread on whose behalf a blocking file operation waits. Blocking is interruptible by
 * guest signals: {@link #await} returns false when a signal must be handled first, and the
 * operation then fails with ERESTARTSYS (restarted or turned into EINTR by the signal code).
 */
public interface Waiter {
    /**
     * Waits on {@code monitor} (which the caller may already hold) until {@code ready} is true.
     * Returns false when interrupted by a signal or by the process exiting.
     * {@code timeoutNanos} &lt; 0 means no timeout (a timeout also returns true; re-check ready).
     */
    boolean await(Object monitor, BooleanSupplier ready, long timeoutNanos);

    /** A write hit a pipe with no reader: the thread gets SIGPIPE (the write fails with EPIPE). */
    void raiseSigpipe();
}
