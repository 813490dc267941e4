package hv.hosts.snapshot;

import hv.hosts.Machine;
import hv.hosts.VmStateException;
import hv.memory.DirtyLog;

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

    /** Tunables: when to stop iterating. */
    public record Options(int maxRounds, long stopPages, int ackTimeoutMillis) {
        public static final Options DEFAULT = new Options(30, 256, 60_000);
    }

    /** The figures a migration prints. */
    public record Result(long totalNanos, long downtimeNanos, int rounds, long bytes, long pagesSent, long finalPages) {
        public String summary() {
            return String.format("migrated: total %.0f ms, downtime %.1f ms, %d rounds, %d bytes (%d pages; %d in the last round)",
                    totalNanos / 1e6, downtimeNanos / 1e6, rounds, bytes, pagesSent, finalPages);
        }
    }

    private MigrationSource() {
    }

    /**
     * Migrates {@code m} to an {@code hv run --incoming} at host:port. On success the VM is left
     * paused (its state now lives on the target): end it. On failure it runs again as before.
     *
     * @throws IOException when the connection fails or the target refuses; the VM was resumed
     */
    public static Result migrate(Machine m, String host, int port, Options options) throws IOException, VmStateException {
        if (m.paused()) {
            throw new VmStateException("the VM is paused by the user; resume it first");
        }
        if (m.ended()) {
            throw new VmStateException("the VM has ended");
        }
        long t0 = System.nanoTime();
        DirtyLog log = m.ram().dirtyLog();
        boolean pausedHere = false;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(options.ackTimeoutMillis());
            SectionOutput out = new SectionOutput(new BufferedOutputStream(socket.getOutputStream(), 1 << 20));
            out.header(SectionFormat.MIGRATION_MAGIC);
            StateBuffer b = new StateBuffer();
            SavedConfig.of(m).write(b);
            out.section(SectionFormat.CONFIG, SavedConfig.VERSION, b);
            log.start(true);
            RamPages ram = new RamPages(m.ram(), out);
            // Round 1: everything (the target's RAM is zero, so zero pages need not travel).
            ram.send(log.readAndClear(), true);
            ram.flush();
            int rounds = 1;
            long[] dirty = log.readAndClear();
            while (DirtyLog.count(dirty) > options.stopPages() && rounds < options.maxRounds()) {
                ram.send(dirty, false);
                ram.flush();
                rounds++;
                dirty = log.readAndClear();
            }
            m.pause();
            pausedHere = true;
            long tPause = System.nanoTime();
            long before = ram.counts.dataPages + ram.counts.zeroPages;
            // Devices and harts are still now: this last bitmap holds every write since the one before.
            ram.send(DirtyLog.count(dirty) > 0 ? or(dirty, log.readAndClear()) : log.readAndClear(), false);
            ram.flush();
            rounds++;
            long finalPages = ram.counts.dataPages + ram.counts.zeroPages - before;
            StateLoader.writeVcpus(out, m.resumePoint().runningHarts());
            Snapshot.writeComponents(m, out);
            out.end();
            String answer = new DataInputStream(socket.getInputStream()).readUTF();
            if (!answer.equals(MigrationTarget.ACK)) {
                throw new IOException("the target refused the VM: " + answer);
            }
            long end = System.nanoTime();
            log.stop();
            return new Result(end - t0, end - tPause, rounds, out.bytes(), ram.counts.dataPages + ram.counts.zeroPages, finalPages);
        } catch (IOException | RuntimeException | VmStateException e) {
            log.stop();
            if (pausedHere) {
                m.resume();
            }
            if (e instanceof VmStateException v) {
                throw v;
            }
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
    }

    private static long[] or(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i];
        }
        return r;
    }
}
