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

    @Test
    void brokenConnectionLeavesTheSourceRunningAndFailsTheTarget() throws Exception {
        long expected = DirtyGuest.expectedChecksum(24);
        Machine source = DirtyGuest.boot(DirtyGuest.elf(), 24);
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
