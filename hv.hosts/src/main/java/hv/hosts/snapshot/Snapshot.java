package hv.hosts.snapshot;

import hv.hosts.Machine;
import hv.hosts.StateComponent;
import hv.hosts.VmStateException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Saves a whole running machine to one file: pause, write header + config + RAM (zero pages
 * skipped) + every component's state + end, resume. The file is written next to its final name
 * and moved into place, so a failed save never leaves a half file under that name.
 */
public final class Snapshot {

    /** What a save did, for the control API and the docs' figures. */
    public record Saved(Path file, long bytes, long dataPages, long skippedZeroPages, long pausedNanos) {
        public String summary() {
            return String.format("snapshot %s: %d bytes (%d pages, %d zero pages skipped), VM paused %.1f ms",
                    file, bytes, dataPages, skippedZeroPages, pausedNanos / 1e6);
        }
    }

    private Snapshot() {
    }

    /**
     * Saves {@code m} to {@code file}. A VM the user paused stays paused; a running one is paused
     * for the save and resumed after (also when the save fails).
     */
    public static Saved save(Machine m, Path file) throws IOException, VmStateException {
        boolean wasPaused = m.paused();
        long t0 = System.nanoTime();
        if (!wasPaused) {
            m.pause();
        }
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".part");
        try {
            RamPages.Counts counts;
            long bytes;
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                 SectionOutput out = new SectionOutput(os)) {
                out.header(SectionFormat.FILE_MAGIC);
                counts = writeState(m, out, null, true);
                out.end();
                bytes = out.bytes();
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Saved(abs, bytes, counts.dataPages, counts.skippedZeroPages, System.nanoTime() - t0);
        } finally {
            Files.deleteIfExists(tmp);
            if (!wasPaused) {
                m.resume();
            }
        }
    }

    /**
     * Writes config, then the RAM pages of {@code bitmap} (all with null), then every component.
     * The machine must be paused.
     */
    static RamPages.Counts writeState(Machine m, SectionOutput out, long[] bitmap, boolean skipZero) throws IOException {
        StateBuffer b = new StateBuffer();
        SavedConfig.of(m).write(b);
        out.section(SectionFormat.CONFIG, SavedConfig.VERSION, b);
        RamPages ram = new RamPages(m.ram(), out);
        ram.send(bitmap, skipZero);
        ram.flush();
        StateLoader.writeVcpus(out, m.resumePoint().runningHarts());
        writeComponents(m, out);
        return ram.counts;
    }

    static void writeComponents(Machine m, SectionOutput out) throws IOException {
        StateBuffer b = new StateBuffer();
        for (StateComponent c : m.stateComponents()) {
            b.clear();
            c.save(b);
            out.section(c.name(), c.version(), b);
        }
    }
}
