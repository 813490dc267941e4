package hv.hosts.snapshot;

import hv.hosts.Machine;
import hv.hosts.VmStateException;
import hv.hosts.vcpu.VcpuThrottle;
import hv.memory.DirtyLog;
import hv.memory.GuestRam;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Pre-copy live migration, sending side (as QEMU does it): with the dirty log on, copy all RAM
 * while the guest runs, then again the pages it dirtied meanwhile, round after round, until few
 * enough remain or the rounds run out; then pause, send the rest and every component's state, and
 * wait for the target to say it has loaded them. Any failure before that answer leaves this VM
 * running as it was (the target discards what it got); after it, the caller ends this VM.
 */
public final class MigrationSource {

    /**
     * Tunables: when to stop iterating, whether to slow the guest down when it dirties memory
     * faster than the rounds copy it (auto-converge), and a bandwidth cap for the rounds before
     * the pause (bytes per second, 0 = none; the paused round is never capped).
     */
    public record Options(int maxRounds, long stopPages, int ackTimeoutMillis, boolean autoConverge, long maxBytesPerSecond) {
        public static final Options DEFAULT = new Options(30, 256, 60_000, true, 0);

        public Options(int maxRounds, long stopPages, int ackTimeoutMillis) {
            this(maxRounds, stopPages, ackTimeoutMillis, true, 0);
        }
    }

    /**
     * Auto-converge, as QEMU's defaults do it: a round "does not converge" when the guest dirtied
     * more than half as many pages as the round sent while it was being sent; after two such
     * rounds in a row the vCPUs are throttled by {@link #THROTTLE_INITIAL} percent, and by
     * {@link #THROTTLE_STEP} more after each further one, up to {@link VcpuThrottle#MAX_PERCENT}.
     */
    static final int THROTTLE_INITIAL = 20;
    static final int THROTTLE_STEP = 10;
    private static final int HIGH_ROUNDS_BEFORE_THROTTLE = 2;

    /**
     * The figures a migration prints. {@code converged}: the rounds brought the dirty pages down to
     * the stop threshold (else the rounds ran out and the rest went during the downtime);
     * {@code throttlePercent}: the highest auto-converge throttle it needed (0: none).
     */
    public record Result(long totalNanos, long downtimeNanos, int rounds, long bytes, long pagesSent, long finalPages,
                         boolean converged, int throttlePercent) {
        public String summary() {
            return String.format("migrated: total %.0f ms, downtime %.1f ms, %d rounds, %d bytes (%d pages; %d in the last round)%s%s",
                    totalNanos / 1e6, downtimeNanos / 1e6, rounds, bytes, pagesSent, finalPages,
                    converged ? "" : ", did not converge",
                    throttlePercent > 0 ? ", vCPUs throttled up to " + throttlePercent + "%" : "");
        }
    }

    private MigrationSource() {
    }

    /** {@link #migrate(Machine, String, int, Options, MigrationProgress)} with nobody watching its progress. */
    public static Result migrate(Machine m, String host, int port, Options options) throws IOException, VmStateException {
        return migrate(m, host, port, options, new MigrationProgress());
    }

    /**
     * Migrates {@code m} to an {@code hv run --incoming} at host:port. On success the VM is left
     * paused (its state now lives on the target): end it. On failure it runs again as before.
     * {@code progress} is updated as it goes (other threads may read it).
     *
     * @throws IOException when the connection fails or the target refuses; the VM was resumed
     */
    public static Result migrate(Machine m, String host, int port, Options options, MigrationProgress progress)
            throws IOException, VmStateException {
        if (m.paused()) {
            progress.failed("the VM is paused by the user");
            throw new VmStateException("the VM is paused by the user; resume it first");
        }
        if (m.ended()) {
            progress.failed("the VM has ended");
            throw new VmStateException("the VM has ended");
        }
        long t0 = System.nanoTime();
        DirtyLog log = m.ram().dirtyLog();
        VcpuThrottle throttle = m.throttle();
        boolean pausedHere = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(options.ackTimeoutMillis());
            PacedOutputStream paced = new PacedOutputStream(socket.getOutputStream(), options.maxBytesPerSecond());
            SectionOutput out = new SectionOutput(new BufferedOutputStream(paced, 1 << 20));
            out.header(SectionFormat.MIGRATION_MAGIC);
            StateBuffer b = new StateBuffer();
            SavedConfig.of(m).write(b);
            out.section(SectionFormat.CONFIG, SavedConfig.VERSION, b);
            log.start(true);
            RamPages ram = new RamPages(m.ram(), out);
            ram.reportTo(progress);
            // Round 1: everything (the target's RAM is zero, so zero pages need not travel).
            progress.round(1, m.ram().size() / GuestRam.PAGE_SIZE);
            ram.send(log.readAndClear(), true);
            ram.flush();
            int rounds = 1;
            long[] dirty = log.readAndClear();
            int throttlePercent = 0;
            int maxThrottle = 0;
            int highRounds = 0;
            while (DirtyLog.count(dirty) > options.stopPages() && rounds < options.maxRounds()) {
                long sentBefore = sent(ram);
                progress.round(rounds + 1, DirtyLog.count(dirty));
                ram.send(dirty, false);
                ram.flush();
                rounds++;
                long sentThisRound = sent(ram) - sentBefore;
                dirty = log.readAndClear();
                if (options.autoConverge()) {
                    highRounds = DirtyLog.count(dirty) * 2 > sentThisRound ? highRounds + 1 : 0;
                    if (highRounds >= HIGH_ROUNDS_BEFORE_THROTTLE && throttlePercent < VcpuThrottle.MAX_PERCENT) {
                        throttlePercent = throttlePercent == 0 ? THROTTLE_INITIAL
                                : Math.min(VcpuThrottle.MAX_PERCENT, throttlePercent + THROTTLE_STEP);
                        maxThrottle = throttlePercent;
                        throttle.set(throttlePercent);
                        progress.throttle(throttlePercent);
                    }
                }
            }
            boolean converged = DirtyLog.count(dirty) <= options.stopPages();
            progress.round(rounds + 1, DirtyLog.count(dirty));
            progress.downtimeBegins();
            m.pause();
            pausedHere = true;
            paced.limit(0); // every millisecond from here on is downtime
            throttle.set(0); // paused now; the VM resumes unthrottled if the target refuses
            long tPause = System.nanoTime();
            long before = sent(ram);
            // Devices and harts are still now: this last bitmap holds every write since the one before.
            ram.send(DirtyLog.count(dirty) > 0 ? or(dirty, log.readAndClear()) : log.readAndClear(), false);
            ram.flush();
            rounds++;
            long finalPages = sent(ram) - before;
            StateLoader.writeVcpus(out, m.resumePoint().runningHarts());
            Snapshot.writeComponents(m, out);
            out.end();
            progress.sent(out.bytes(), sent(ram));
            String answer = new DataInputStream(socket.getInputStream()).readUTF();
            if (!answer.equals(MigrationTarget.ACK)) {
                throw new IOException("the target refused the VM: " + answer);
            }
            long end = System.nanoTime();
            log.stop();
            progress.completed(end - t0, end - tPause);
            return new Result(end - t0, end - tPause, rounds, out.bytes(), sent(ram), finalPages, converged, maxThrottle);
        } catch (IOException | RuntimeException | VmStateException e) {
            throttle.set(0);
            log.stop();
            if (pausedHere) {
                m.resume();
            }
            progress.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            if (e instanceof VmStateException v) {
                throw v;
            }
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
    }

    private static long sent(RamPages ram) {
        return ram.counts.dataPages + ram.counts.zeroPages;
    }

    private static long[] or(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i];
        }
        return r;
    }
}
