package hv.procvm.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/**
 * The clocks of clock_gettime(2), from the host: CLOCK_REALTIME from the wall clock, CLOCK_MONOTONIC
 * (and BOOTTIME, RAW, COARSE) from System.nanoTime (the host's monotonic clock on Linux), CPU-time
 * clocks from the host threads that run the guest threads.
 */
final class Clocks {
    static final int REALTIME = 0, MONOTONIC = 1, PROCESS_CPUTIME_ID = 2, THREAD_CPUTIME_ID = 3, MONOTONIC_RAW = 4,
            REALTIME_COARSE = 5, MONOTONIC_COARSE = 6, BOOTTIME = 7, REALTIME_ALARM = 8, BOOTTIME_ALARM = 9, TAI = 11;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Clocks() {
    }

    static long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static long monotonicNanos(Kernel k) {
        return System.nanoTime();
    }

    static long threadCpuNanos(GuestThread t) {
        Thread h = t.hostThread();
        long v = h == null ? -1 : THREADS.getThreadCpuTime(h.threadId());
        return Math.max(v, 0);
    }

    static long processCpuNanos(GuestProcess p) {
        long sum = 0;
        for (GuestThread t : p.threads) {
            sum += threadCpuNanos(t);
        }
        return sum;
    }

    /** CPU time of the calling host thread (a guest thread at its end, for --stats). */
    static long currentThreadCpuNanos() {
        return Math.max(THREADS.getCurrentThreadCpuTime(), 0);
    }

    /**
     * For --stats: where the JVM's own time went besides the guest threads (JIT compilation and
     * GC elapsed times as the JVM accounts them; the compiler threads run beside the guest).
     */
    static String jvmCosts(long guestThreadCpuNanos) {
        var jit = ManagementFactory.getCompilationMXBean();
        long gcMillis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(gc.getCollectionTime(), 0);
        }
        return String.format("cpu: guest threads %.2f s, JIT compilation %.2f s, GC %.2f s",
                guestThreadCpuNanos / 1e9, jit != null && jit.isCompilationTimeMonitoringSupported()
                        ? jit.getTotalCompilationTime() / 1e3 : Double.NaN, gcMillis / 1e3);
    }

    /** The clock's current value in nanoseconds, or -1 for an unknown clock id. */
    static long now(Kernel k, GuestThread t, int clock) {
        return switch (clock) {
            case REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI -> realtimeNanos();
            case MONOTONIC, MONOTONIC_RAW, MONOTONIC_COARSE, BOOTTIME, BOOTTIME_ALARM -> monotonicNanos(k);
            case PROCESS_CPUTIME_ID -> processCpuNanos(t.process);
            case THREAD_CPUTIME_ID -> threadCpuNanos(t);
            default -> -1;
        };
    }
}
