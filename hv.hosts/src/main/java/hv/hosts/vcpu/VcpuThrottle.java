package hv.hosts.vcpu;

import java.util.concurrent.locks.LockSupport;

/**
 * Slows the guest down for a live migration that does not converge (auto-converge, as QEMU's
 * cpu-throttle does it): at {@code p} percent each vCPU, after a slice that ran for {@code t},
 * sleeps {@code t * p / (100 - p)}, so it runs only {@code 100 - p} percent of the wall time and
 * dirties memory that much slower. Off (0) costs one volatile read per slice.
 *
 * <p>The sleep is a park: anything that wakes the vCPU (a mailbox post such as the migration's
 * final Pause, an interrupt, device work) cuts it short, so throttling never delays a pause.
 * The time a slice ran is measured from the end of the vCPU's previous throttled slice, capped
 * at {@link #MAX_RUN_NANOS}, so a vCPU that slept in WFI meanwhile is not punished for the sleep.
 */
public final class VcpuThrottle {
    /** Largest share the vCPUs may be made to sleep (QEMU's cpu-throttle-max default). */
    public static final int MAX_PERCENT = 99;
    /** A slice counts as at most this long (a WFI sleep since the last slice is not run time). */
    static final long MAX_RUN_NANOS = 50_000_000L;

    private volatile int percent;
    /** Per vCPU (by index): when its last slice's throttle sleep ended; 0 = none yet. Each slot is written by its vCPU only. */
    private final long[] lastEnd;

    public VcpuThrottle(int vcpus) {
        this.lastEnd = new long[vcpus];
    }

    /** Sets the share of time the vCPUs sleep, 0 (off) to {@link #MAX_PERCENT}. */
    public void set(int percent) {
        if (percent < 0 || percent > MAX_PERCENT) {
            throw new IllegalArgumentException("throttle " + percent + "% outside 0.." + MAX_PERCENT);
        }
        this.percent = percent;
    }

    public int percent() {
        return percent;
    }

    /** On vCPU {@code index}'s own thread after a slice: sleeps its share, if throttled. */
    public void afterSlice(int index) {
        int p = percent;
        if (p == 0 || index < 0 || index >= lastEnd.length) {
            if (index >= 0 && index < lastEnd.length) {
                lastEnd[index] = 0;
            }
            return;
        }
        long now = System.nanoTime();
        long last = lastEnd[index];
        if (last != 0) {
            long ran = Math.min(now - last, MAX_RUN_NANOS);
            LockSupport.parkNanos(this, ran * p / (100 - p));
        }
        lastEnd[index] = System.nanoTime();
    }
}
