package hv.hosts.snapshot;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * A migration's bandwidth cap (QEMU's max-bandwidth): writes go through at most
 * {@code bytesPerSecond} on average, measured from when the cap was set, by sleeping the writer
 * when it is ahead. It caps the pre-copy rounds so a migration does not take the whole link from
 * the host's other traffic; the final, paused round runs uncapped ({@link #limit(long) limit(0)})
 * because every millisecond there is guest downtime.
 */
final class PacedOutputStream extends FilterOutputStream {
    /** How far behind its rate the stream may fall and catch up later at full speed. */
    private static final long MAX_CREDIT_NANOS = 20_000_000L;
    private long bytesPerSecond;
    private long since;
    private long sentSince;

    PacedOutputStream(OutputStream out, long bytesPerSecond) {
        super(out);
        limit(bytesPerSecond);
    }

    /** A new cap from now on; 0 = none. */
    void limit(long bytesPerSecond) {
        this.bytesPerSecond = Math.max(0, bytesPerSecond);
        this.since = System.nanoTime();
        this.sentSince = 0;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        pace(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        pace(len);
    }

    private void pace(int n) {
        if (bytesPerSecond == 0) {
            return;
        }
        sentSince += n;
        long now = System.nanoTime();
        if (since + (long) (sentSince * 1e9 / bytesPerSecond) < now - MAX_CREDIT_NANOS) {
            // Behind by more than the credit (the writer stalled, or the link is slower than the
            // cap): start afresh rather than send a burst at full speed to catch up.
            since = now;
            sentSince = n;
        }
        long due = since + (long) (sentSince * 1e9 / bytesPerSecond);
        long ahead;
        while ((ahead = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, ahead);
        }
    }
}
