package hv.hosts.snapshot;

/**
 * A live migration's figures while it runs and after it ended (the control API's
 * {@code query-migrate}). Written by the migrating thread only; any thread may read (each field
 * is volatile on its own, so a reader may see a round's figures half-updated, never torn values).
 */
public final class MigrationProgress {
    public enum Status { ACTIVE, COMPLETED, FAILED }

    private final long startNanos = System.nanoTime();
    private volatile Status status = Status.ACTIVE;
    private volatile boolean paused;
    private volatile int rounds;
    private volatile long bytes;
    private volatile long pagesSent;
    private volatile long remainingPages = -1;
    private volatile int throttlePercent;
    private volatile long totalNanos = -1;
    private volatile long downtimeNanos = -1;
    private volatile String error;

    public Status status() {
        return status;
    }

    /** True once the source paused its VM for the last round (the downtime runs). */
    public boolean inDowntime() {
        return paused;
    }

    /** Rounds begun so far (1 is the copy of all RAM). */
    public int rounds() {
        return rounds;
    }

    /** Bytes of the stream sent so far. */
    public long bytes() {
        return bytes;
    }

    /** RAM pages sent so far (data and zero records). */
    public long pagesSent() {
        return pagesSent;
    }

    /** Dirty pages the last look at the dirty log found still to send; -1 before the first look. */
    public long remainingPages() {
        return remainingPages;
    }

    /** The vCPUs' throttle now (auto-converge), 0 when off. */
    public int throttlePercent() {
        return throttlePercent;
    }

    /** Milliseconds since the migration began, or its total once it ended. */
    public double elapsedMillis() {
        long t = totalNanos;
        return (t >= 0 ? t : System.nanoTime() - startNanos) / 1e6;
    }

    /** The downtime once completed, else -1. */
    public double downtimeMillis() {
        long d = downtimeNanos;
        return d < 0 ? -1 : d / 1e6;
    }

    /** Why it failed, or null. */
    public String error() {
        return error;
    }

    // ---- the migrating thread ----------------------------------------------------------------

    void round(int round, long remaining) {
        rounds = round;
        remainingPages = remaining;
    }

    void sent(long streamBytes, long pages) {
        bytes = streamBytes;
        pagesSent = pages;
    }

    void throttle(int percent) {
        throttlePercent = percent;
    }

    void downtimeBegins() {
        paused = true;
    }

    void completed(long total, long downtime) {
        downtimeNanos = downtime;
        totalNanos = total;
        paused = false;
        remainingPages = 0;
        throttlePercent = 0;
        status = Status.COMPLETED;
    }

    void failed(String why) {
        error = why;
        totalNanos = System.nanoTime() - startNanos;
        paused = false;
        throttlePercent = 0;
        status = Status.FAILED;
    }
}
