package hv.hosts.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.state.StateException;
import hv.hosts.Machine;
import hv.hosts.VmOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** The snapshot container and every kind of bad input: each is refused with one line naming the problem. */
class SnapshotFormatTest {
    @TempDir
    static Path dir;
    /** A real snapshot of the dirty guest, paused mid-run. */
    static byte[] good;

    @BeforeAll
    static void takeSnapshot() throws Exception {
        Machine m = DirtyGuest.boot(DirtyGuest.elf(), 1000);
        CompletableFuture<VmOutcome> run = DirtyGuest.start(m, null);
        DirtyGuest.awaitProgress(m, 1);
        m.pause();
        Path file = dir.resolve("good.hvsnap");
        Snapshot.save(m, file);
        m.end(VmOutcome.quit());
        m.resume();
        DirtyGuest.finish(run);
        good = Files.readAllBytes(file);
    }

    // ---- field encoding ----

    @Test
    void fieldsRoundTrip() throws Exception {
        StateBuffer b = new StateBuffer();
        b.putBoolean(true);
        b.putInt(-7);
        b.putLong(Long.MIN_VALUE + 3);
        b.putLongs(new long[] {1, -2, 3});
        b.putBytes(new byte[] {9, 8});
        b.putString("virtio-blk,file=ä.img");
        StateCursor c = new StateCursor("t", b.toByteArray());
        assertTrue(c.getBoolean());
        assertEquals(-7, c.getInt());
        assertEquals(Long.MIN_VALUE + 3, c.getLong());
        assertArrayEquals(new long[] {1, -2, 3}, c.getLongs());
        assertArrayEquals(new byte[] {9, 8}, c.getBytes());
        assertEquals("virtio-blk,file=ä.img", c.getString());
        assertTrue(c.atEnd());
        StateException e = assertThrows(StateException.class, c::getInt);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void hostileLengthsAndBooleansAreRefused() {
        StateBuffer b = new StateBuffer();
        b.putInt(Integer.MAX_VALUE); // an array "length" far beyond the payload
        assertThrows(StateException.class, () -> new StateCursor("t", b.toByteArray()).getLongs());
        assertThrows(StateException.class, () -> new StateCursor("t", b.toByteArray()).getBytes());
        StateBuffer neg = new StateBuffer();
        neg.putInt(-1);
        assertThrows(StateException.class, () -> new StateCursor("t", neg.toByteArray()).getBytes());
        assertThrows(StateException.class, () -> new StateCursor("t", new byte[] {2}).getBoolean());
    }

    // ---- the container ----

    @Test
    void sectionsRoundTripAndEveryCutIsTruncated() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SectionOutput out = new SectionOutput(bytes)) {
            out.header(SectionFormat.FILE_MAGIC);
            StateBuffer b = new StateBuffer();
            b.putLong(42);
            out.section("alpha", 3, b);
            out.end();
        }
        byte[] stream = bytes.toByteArray();
        SectionInput in = new SectionInput(new ByteArrayInputStream(stream), "s");
        assertEquals(SectionFormat.hvVersion(), in.header(SectionFormat.FILE_MAGIC));
        SectionInput.Section s = in.next();
        assertEquals("alpha", s.name());
        assertEquals(3, s.version());
        assertEquals(42, s.cursor().getLong());
        assertEquals(SectionFormat.END, in.next().name());
        for (int cut = 0; cut < stream.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(stream, cut);
            SnapshotException e = assertThrows(SnapshotException.class, () -> readAll(part), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("too short"), e.getMessage());
            assertOneLine(e);
        }
    }

    private static void readAll(byte[] stream) throws Exception {
        SectionInput in = new SectionInput(new ByteArrayInputStream(stream), "s");
        in.header(SectionFormat.FILE_MAGIC);
        while (!in.next().name().equals(SectionFormat.END)) {
            // read on
        }
    }

    // ---- whole snapshot files ----

    @Test
    void theGoodSnapshotRestores() throws Exception {
        assertTrue(restore(good) >= 1, "RAM came back");
    }

    @Test
    void truncatedFile() throws Exception {
        for (int cut : new int[] {3, 20, good.length / 2, good.length - 1}) {
            SnapshotException e = assertThrows(SnapshotException.class, () -> restore(java.util.Arrays.copyOf(good, cut)));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("too short"), e.getMessage());
            assertOneLine(e);
        }
    }

    @Test
    void wrongMagic() {
        byte[] bad = good.clone();
        bad[0] = 'X';
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("not an HV snapshot"), e.getMessage());
        byte[] migration = good.clone();
        System.arraycopy(SectionFormat.MIGRATION_MAGIC, 0, migration, 0, 8);
        assertThrows(SnapshotException.class, () -> restore(migration));
    }

    @Test
    void wrongFormatVersion() {
        byte[] bad = good.clone();
        bad[11] = 2; // the int after the 8-byte magic
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void checksumMismatch() {
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x10; // inside the RAM
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("checksum mismatch in section 'ram'"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void configThatDoesNotMatchTheState() throws Exception {
        // The config claims two harts; the sections hold one hart's state.
        byte[] bad = rewrite(sections -> {
            List<SectionInput.Section> out = new ArrayList<>(sections);
            SectionInput.Section c = out.get(0);
            try {
                SavedConfig cfg = SavedConfig.read(c.cursor(), c.version());
                SavedConfig two = new SavedConfig(cfg.name(), 2, cfg.memoryBytes(), cfg.kernel(), cfg.initrd(), cfg.append(),
                        cfg.bios(), cfg.devices(), cfg.tohost(), new boolean[] {true, true});
                StateBuffer b = new StateBuffer();
                two.write(b);
                out.set(0, new SectionInput.Section(c.name(), c.version(), b.toByteArray()));
            } catch (StateException e) {
                throw new AssertionError(e);
            }
            return out;
        });
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("harts") || e.getMessage().contains("hart1"), e.getMessage());
    }

    @Test
    void sectionForAnUnknownDevice() throws Exception {
        byte[] bad = rewrite(sections -> {
            List<SectionInput.Section> out = new ArrayList<>(sections);
            out.add(out.size() - 1, new SectionInput.Section("virtio-foo0", 1, new byte[0]));
            return out;
        });
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("'virtio-foo0', which this machine does not have"), e.getMessage());
    }

    @Test
    void missingComponentAndUnknownComponentVersion() throws Exception {
        byte[] noPlic = rewrite(sections -> sections.stream().filter(s -> !s.name().equals("plic")).toList());
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(noPlic));
        assertTrue(e.getMessage().contains("no state for plic"), e.getMessage());
        byte[] futureHart = rewrite(sections -> sections.stream()
                .map(s -> s.name().equals("hart0") ? new SectionInput.Section("hart0", 9, s.payload()) : s).toList());
        e = assertThrows(SnapshotException.class, () -> restore(futureHart));
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
        byte[] shortHart = rewrite(sections -> sections.stream()
                .map(s -> s.name().equals("hart0") ? new SectionInput.Section("hart0", s.version(),
                        java.util.Arrays.copyOf(s.payload(), 40)) : s).toList());
        e = assertThrows(SnapshotException.class, () -> restore(shortHart));
        assertTrue(e.getMessage().contains("hart0"), e.getMessage());
    }

    @Test
    void ramBeyondTheMachineIsRefused() throws Exception {
        StateBuffer page = new StateBuffer();
        page.putInt((int) (DirtyGuest.MEMORY / 4096)); // one past the last page
        page.putBoolean(false);
        byte[] bad = rewrite(sections -> {
            List<SectionInput.Section> out = new ArrayList<>(sections);
            out.add(1, new SectionInput.Section(SectionFormat.RAM, RamPages.VERSION, page.toByteArray()));
            return out;
        });
        SnapshotException e = assertThrows(SnapshotException.class, () -> restore(bad));
        assertTrue(e.getMessage().contains("beyond"), e.getMessage());
    }

    @Test
    void tooManyBackendOverrides() throws Exception {
        try (SnapshotRestore r = SnapshotRestore.open(write(good))) {
            SnapshotException e = assertThrows(SnapshotException.class,
                    () -> r.config().toVmConfig(List.of("disk.img"), List.of(), List.of(), false, false));
            assertTrue(e.getMessage().contains("--disk disk.img"), e.getMessage());
        }
    }

    // ---- helpers ----

    /** Loads the file into a new machine; returns the guest's progress word from the restored RAM. */
    private static long restore(byte[] file) throws Exception {
        Path p = write(file);
        try (SnapshotRestore r = SnapshotRestore.open(p)) {
            Machine m = DirtyGuest.forResume(r.config().toVmConfig(List.of(), List.of(), List.of(), false, false),
                    r.config().resumePoint());
            try {
                r.loadInto(m);
                return DirtyGuest.progress(m);
            } catch (SnapshotException e) {
                assertOneLine(e);
                throw e;
            } finally {
                m.ram().close();
            }
        }
    }

    private static Path write(byte[] file) throws IOException {
        Path p = Files.createTempFile(dir, "t", ".hvsnap");
        Files.write(p, file);
        return p;
    }

    private static byte[] rewrite(UnaryOperator<List<SectionInput.Section>> edit) throws Exception {
        SectionInput in = new SectionInput(new ByteArrayInputStream(good), "good");
        in.header(SectionFormat.FILE_MAGIC);
        List<SectionInput.Section> all = new ArrayList<>();
        SectionInput.Section s;
        do {
            s = in.next();
            all.add(s);
        } while (!s.name().equals(SectionFormat.END));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SectionOutput out = new SectionOutput(bytes)) {
            out.header(SectionFormat.FILE_MAGIC);
            for (SectionInput.Section x : edit.apply(all)) {
                out.section(x.name(), x.version(), x.payload(), x.payload().length);
            }
        }
        return bytes.toByteArray();
    }

    private static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
