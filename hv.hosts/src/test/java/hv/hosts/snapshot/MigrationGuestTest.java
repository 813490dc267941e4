package hv.hosts.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.hosts.Machine;
import hv.hosts.VmConfigException;
import hv.hosts.VmOutcome;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Live migration between two machines in one JVM over loopback, with the guest rewriting its
 * buffer while RAM is copied; and a connection that breaks mid-stream.
 */
class MigrationGuestTest {
    static final int ROUNDS = 64;

    @Test
    void migratedGuestFinishesWithTheSameResult() throws Exception {
        long expected = DirtyGuest.expectedChecksum(ROUNDS);
        Machine source = DirtyGuest.boot(DirtyGuest.elf(), ROUNDS);
        CompletableFuture<VmOutcome> sourceRun = DirtyGuest.start(source, null);
        DirtyGuest.awaitProgress(source, 1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Machine> targetMachine = new CompletableFuture<>();
            CompletableFuture<VmOutcome> targetRun = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    MigrationTarget target = MigrationTarget.accept(server);
                    Machine m = DirtyGuest.forResume(target.config().toVmConfig(List.of(), List.of(), List.of(), false, false),
                            target.config().resumePoint());
                    targetMachine.complete(m);
                    targetRun.complete(m.run(target));
                } catch (Throwable e) {
                    targetMachine.completeExceptionally(e);
                    targetRun.completeExceptionally(e);
                }
            });
            t.setDaemon(true);
            t.start();
            // A few rounds only: the guest dirties its whole buffer faster than a round copies it.
            MigrationSource.Result r = MigrationSource.migrate(source, "127.0.0.1", server.getLocalPort(),
                    new MigrationSource.Options(4, 16, 30_000));
            long progressAtPause = DirtyGuest.progress(source); // the source stays paused after a migration
            source.end(VmOutcome.migrated(r.summary())); // paused vCPUs still take the Finish
            assertEquals(VmOutcome.Kind.MIGRATED, DirtyGuest.finish(sourceRun).kind());
            assertTrue(progressAtPause < ROUNDS, "migrated mid-run, at round " + progressAtPause);
            assertTrue(r.rounds() >= 2, r.summary());
            assertTrue(r.finalPages() > 0 && r.downtimeNanos() > 0 && r.downtimeNanos() <= r.totalNanos(), r.summary());

            VmOutcome o = DirtyGuest.finish(targetRun);
            assertEquals(VmOutcome.Kind.POWER_OFF, o.kind(), o.message());
            assertEquals(0, o.exitCode());
            assertEquals(expected, DirtyGuest.checksum(targetMachine.get()), "the migrated guest's result");
        }
    }

    /**
     * The migration link's cap in this test: 32 MB/s, so a round of the guest's 512 pages takes
     * ~65 ms. Unthrottled, the guest rewrites all 512 in ~2 ms of CPU; throttled by 99 % it runs
     * a ~1 ms slice every ~100 ms, so some rounds fall between two slices and find nothing new.
     */
    static final long LINK = 32_000_000;

    /**
     * The guest rewrites its whole 2 MiB buffer faster than a round copies it over a capped link
     * ({@link #LINK}; the guest needs a few ms per pass over its buffer), so without
     * auto-converge the rounds never get below 16 dirty pages: the migration runs out of rounds
     * and sends the rest while paused (converged false, no throttle). The VM, now on a second
     * machine, is migrated again with auto-converge: the throttle rises until a round finds few
     * dirty pages (converged, throttled), the progress object says so, the source's vCPUs are
     * unthrottled afterwards, and the guest runs on on the third machine. (That migrated memory
     * arrives intact is {@link #migratedGuestFinishesWithTheSameResult}'s job.)
     */
    @Test
    void aGuestThatOutrunsTheCopyConvergesOnlyWithAutoConverge() throws Exception {
        int guestRounds = 1_000_000; // minutes of work: it is still rewriting its buffer when the test ends it
        Machine source = DirtyGuest.boot(DirtyGuest.elf(), guestRounds);
        CompletableFuture<VmOutcome> sourceRun = DirtyGuest.start(source, null);
        // Warm: the first passes run before the JIT has compiled the loop, several times slower.
        DirtyGuest.awaitProgress(source, 50);
        try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DirtyGuest.Incoming middle = DirtyGuest.Incoming.on(first);
            MigrationSource.Result plain = MigrationSource.migrate(source, "127.0.0.1", first.getLocalPort(),
                    new MigrationSource.Options(6, 16, 30_000, false, LINK));
            long atFirstMove = DirtyGuest.progress(source);
            source.end(VmOutcome.migrated(plain.summary()));
            DirtyGuest.finish(sourceRun);
            System.err.println("without auto-converge: " + plain.summary() + ", guest round " + atFirstMove);
            assertTrue(!plain.converged() && plain.throttlePercent() == 0, plain.summary());
            assertEquals(7, plain.rounds(), "6 rounds, then the rest while paused: " + plain.summary());

            Machine m = middle.machine().get(30, java.util.concurrent.TimeUnit.SECONDS);
            DirtyGuest.awaitProgress(m, atFirstMove + 50);
            DirtyGuest.Incoming last = DirtyGuest.Incoming.on(second);
            MigrationProgress progress = new MigrationProgress();
            MigrationSource.Result throttled = MigrationSource.migrate(m, "127.0.0.1", second.getLocalPort(),
                    new MigrationSource.Options(40, 16, 30_000, true, LINK), progress);
            long atSecondMove = DirtyGuest.progress(m);
            m.end(VmOutcome.migrated(throttled.summary()));
            DirtyGuest.finish(middle.run());
            System.err.println("with auto-converge: " + throttled.summary() + ", guest round " + atSecondMove);
            assertTrue(throttled.converged(), throttled.summary());
            assertTrue(throttled.throttlePercent() >= MigrationSource.THROTTLE_INITIAL, throttled.summary());
            assertTrue(throttled.finalPages() <= 16 + 512, "the downtime sent few pages: " + throttled.summary());
            assertEquals(MigrationProgress.Status.COMPLETED, progress.status());
            assertEquals(throttled.rounds(), progress.rounds());
            assertEquals(throttled.bytes(), progress.bytes());
            assertEquals(0, m.throttle().percent(), "the throttle is off once the migration ended");
            assertTrue(atSecondMove < guestRounds, "migrated mid-run, at round " + atSecondMove);

            Machine third = last.machine().get(30, java.util.concurrent.TimeUnit.SECONDS);
            DirtyGuest.awaitProgress(third, atSecondMove + 2); // runs on, at full speed again
            assertEquals(0, third.throttle().percent());
            third.end(VmOutcome.quit());
            DirtyGuest.finish(last.run());
        }
    }

    @Test
    void brokenConnectionLeavesTheSourceRunningAndFailsTheTarget() throws Exception {
        // Enough rounds that the JIT-compiled guest (~1-3 ms a round) is still running when the migration starts.
        long expected = DirtyGuest.expectedChecksum(300);
        Machine source = DirtyGuest.boot(DirtyGuest.elf(), 300);
        CompletableFuture<VmOutcome> sourceRun = DirtyGuest.start(source, null);
        DirtyGuest.awaitProgress(source, 1);
        // A "target" that takes 3 MiB of the stream, then hangs up.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread cutter = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    in.readNBytes(3 << 20);
                } catch (IOException e) {
                    // the test checks the source side
                }
            });
            cutter.start();
            assertThrows(IOException.class, () -> MigrationSource.migrate(source, "127.0.0.1", server.getLocalPort(),
                    new MigrationSource.Options(1000, 0, 30_000)));
            cutter.join();
        }
        VmOutcome o = DirtyGuest.finish(sourceRun);
        assertEquals(VmOutcome.Kind.POWER_OFF, o.kind(), o.message());
        assertEquals(expected, DirtyGuest.checksum(source), "the source ran on and finished");
        assertTrue(!source.ram().dirtyLog().enabled(), "dirty logging is off again");

        // The receiving side of a stream that stops half-way: an error, nothing runs.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Machine again = DirtyGuest.boot(DirtyGuest.elf(), 1000);
            CompletableFuture<VmOutcome> run = DirtyGuest.start(again, null);
            DirtyGuest.awaitProgress(again, 1);
            Thread sender = new Thread(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    SectionOutput out = new SectionOutput(s.getOutputStream());
                    out.header(SectionFormat.MIGRATION_MAGIC);
                    again.pause();
                    StateBuffer b = new StateBuffer();
                    SavedConfig.of(again).write(b);
                    again.end(VmOutcome.quit());
                    again.resume();
                    out.section(SectionFormat.CONFIG, SavedConfig.VERSION, b);
                    out.flush();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            sender.start();
            MigrationTarget target = MigrationTarget.accept(server);
            Machine m = DirtyGuest.forResume(target.config().toVmConfig(List.of(), List.of(), List.of(), false, false),
                    target.config().resumePoint());
            sender.join();
            VmConfigException e = assertThrows(VmConfigException.class, () -> m.run(target));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            DirtyGuest.finish(run);
        }
    }
}
