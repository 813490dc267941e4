package hv.api.platform;

/**
 * The machine's time base: mtime, counting at {@link #frequency()} Hz from the host's monotonic
 * clock, so guest time matches wall time. Pausing the VM stops it; restore sets it.
 */
public interface GuestClock {

    /** The virt machine's timebase, 10 MHz. */
    long DEFAULT_FREQUENCY = 10_000_000L;

    long mtime();

    long frequency();

    /** Converts a future mtime value to host nanoseconds from now (0 if already past). */
    default long nanosUntil(long mtimeDeadline) {
        long ticks = mtimeDeadline - mtime();
        if (ticks <= 0) {
            return 0;
        }
        return Math.multiplyHigh(ticks, 1_000_000_000L) != 0 ? Long.MAX_VALUE : ticks * 1_000_000_000L / frequency();
    }
}
