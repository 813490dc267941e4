package hv.hosts.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.hosts.Machine;
import hv.hosts.VmOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A guest snapshotted mid-run finishes with the right result twice: in the machine that kept
 * running after the snapshot, and in a new machine restored from the file.
 */
class SnapshotGuestTest {
    static final int ROUNDS = 48;

    @TempDir
    Path dir;

    @Test
    void restoredGuestFinishesWithTheSameResult() throws Exception {
        Path elf = DirtyGuest.elf();
        long expected = DirtyGuest.expectedChecksum(ROUNDS);
        Machine original = DirtyGuest.boot(elf, ROUNDS);
        CompletableFuture<VmOutcome> run = DirtyGuest.start(original, null);
        DirtyGuest.awaitProgress(original, 2);
        Path file = dir.resolve("vm.hvsnap");
        Snapshot.Saved saved = Snapshot.save(original, file);
        assertTrue(Files.size(file) == saved.bytes(), "reported size is the file's");
        // Zero pages are skipped: the 16 MiB machine uses a little over the 2 MiB buffer.
        assertTrue(saved.bytes() < (4 << 20), "zero pages skipped: " + saved.bytes());
        VmOutcome first = DirtyGuest.finish(run);
        assertEquals(VmOutcome.Kind.POWER_OFF, first.kind(), first.message());
        assertEquals(0, first.exitCode());
        assertEquals(expected, DirtyGuest.checksum(original), "the original, paused and resumed");

        long[] progressAtRestore = new long[1];
        try (SnapshotRestore restore = SnapshotRestore.open(file)) {
            Machine copy = DirtyGuest.forResume(restore.config().toVmConfig(List.of(), List.of(), List.of(), false, false),
                    restore.config().resumePoint());
            VmOutcome second = DirtyGuest.finish(DirtyGuest.start(copy, m -> {
                restore.beforeVcpus(m);
                progressAtRestore[0] = DirtyGuest.progress(m);
                assertEquals(0, DirtyGuest.checksum(m), "the snapshot is from before the end");
            }));
            assertEquals(VmOutcome.Kind.POWER_OFF, second.kind(), second.message());
            assertEquals(0, second.exitCode());
            assertEquals(expected, DirtyGuest.checksum(copy), "the restored copy");
        }
        assertTrue(progressAtRestore[0] >= 2 && progressAtRestore[0] < ROUNDS,
                "snapshot taken mid-run: round " + progressAtRestore[0]);
    }
}
