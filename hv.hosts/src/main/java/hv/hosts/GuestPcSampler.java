package hv.hosts;

import hv.cpu.Hart;
import hv.hosts.vcpu.VcpuThread;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debug aid ({@code HV_GUEST_PROFILE=FILE}): a statistical profiler of the GUEST. A daemon thread
 * looks at every hart about once per millisecond and counts (hart, privilege, pc, ra), or "asleep"
 * when the vCPU thread is parked in WFI / stopped. At the end of the run it writes one line per
 * distinct sample ({@code epoch-second hart priv pc ra count}; priv -1: asleep;
 * ra = x1, which names the caller of a leaf function such as a spin-lock loop), most frequent first,
 * for symbolisation against the guest's /proc/kallsyms; header lines ({@code # retired SECOND N0 N1 ...})
 * give each hart's retired-instruction count at the start of every wall-clock second.
 *
 * <p>What a sample means: {@link Hart#pc} is published by the hart at every block boundary, that
 * is at least every few thousand instructions and at every trap, CSR access and exit, so a sample
 * is the start of the stretch the hart is executing. Tight loops (spin locks, hash rounds) are
 * placed exactly; code right after a CSR access or an SBI call is over-counted, because it
 * collects the instructions that follow it up to the next boundary. The reads are racy by
 * design (plain fields of another thread); a stale value only misplaces one sample.
 */
final class GuestPcSampler {
    private static final long PERIOD_NANOS = 1_000_000L;

    private final List<VcpuThread> vcpus;
    private final Path out;
    private final Map<Key, long[]> counts = new HashMap<>();
    private final long[] asleep;
    private final long[] total;
    /** Per wall-clock second: the second, then each hart's instructions retired so far. */
    private final List<long[]> retiredBySecond = new ArrayList<>();
    private volatile boolean stop;
    /** Sampling rounds done so far (each looks at every hart once). */
    private volatile long ticks;
    private Thread thread;

    /** {@code second}: wall-clock epoch second, so that a phase of the run can be cut out afterwards. */
    private record Key(long second, int hart, int priv, long pc, long ra) { }

    GuestPcSampler(List<VcpuThread> vcpus, Path out) {
        this.vcpus = vcpus;
        this.out = out;
        this.asleep = new long[vcpus.size()];
        this.total = new long[vcpus.size()];
    }

    void start() {
        thread = new Thread(this::loop, "hv-guest-profiler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long next = System.nanoTime();
        long lastSecond = 0;
        while (!stop) {
            long second = System.currentTimeMillis() / 1000;
            if (second != lastSecond) {
                long[] row = new long[vcpus.size() + 1];
                row[0] = second;
                for (int i = 0; i < vcpus.size(); i++) {
                    row[i + 1] = vcpus.get(i).hart().retired;
                }
                retiredBySecond.add(row);
                lastSecond = second;
            }
            for (int i = 0; i < vcpus.size(); i++) {
                VcpuThread v = vcpus.get(i);
                total[i]++;
                if (v.sleeping() || v.state() != VcpuThread.State.RUNNING) {
                    asleep[i]++;
                    counts.computeIfAbsent(new Key(second, i, -1, 0, 0), k -> new long[1])[0]++;
                    continue;
                }
                Hart h = v.hart();
                counts.computeIfAbsent(new Key(second, i, h.priv, h.pc, h.x[1]), k -> new long[1])[0]++;
            }
            ticks++; // single writer: the sampler thread
            next += PERIOD_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // the host was busy: skip the missed ticks rather than burst
            }
        }
    }

    long ticks() {
        return ticks;
    }

    /** Stops sampling and writes the profile; failures are reported as a log line only. */
    void finish() {
        stop = true;
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Map.Entry<Key, long[]>> rows = new ArrayList<>(counts.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            for (int i = 0; i < total.length; i++) {
                w.printf("# hart %d samples %d asleep %d%n", i, total[i], asleep[i]);
            }
            for (long[] row : retiredBySecond) {
                StringBuilder sb = new StringBuilder("# retired");
                for (long v : row) {
                    sb.append(' ').append(v);
                }
                w.println(sb);
            }
            for (Map.Entry<Key, long[]> e : rows) {
                Key k = e.getKey();
                w.printf("%d %d %d %016x %016x %d%n", k.second(), k.hart(), k.priv(), k.pc(), k.ra(), e.getValue()[0]);
            }
        } catch (IOException e) {
            System.getLogger("hv.profile").log(System.Logger.Level.WARNING, "guest profile not written: " + e);
        }
    }
}
