package hv.hosts.snapshot;

import hv.api.state.StateException;
import hv.hosts.Machine;
import hv.hosts.VmConfigException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Restoring a snapshot file: {@link #open} reads and checks the header and the config (what the
 * launcher needs to build the same machine); the machine's start hook ({@link #beforeVcpus}) then
 * loads RAM and every component before the first vCPU runs.
 */
public final class SnapshotRestore implements Machine.StartHook, AutoCloseable {
    private final SectionInput in;
    private final String source;
    private final SavedConfig config;
    private final String writtenBy;

    private SnapshotRestore(SectionInput in, String source, SavedConfig config, String writtenBy) {
        this.in = in;
        this.source = source;
        this.config = config;
        this.writtenBy = writtenBy;
    }

    public static SnapshotRestore open(Path file) throws SnapshotException {
        String source = "snapshot " + file;
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new SnapshotException(source + ": no such file");
        } catch (IOException e) {
            throw new SnapshotException(source + ": " + e.getMessage());
        }
        SectionInput in = new SectionInput(new BufferedInputStream(raw, 1 << 20), source);
        try {
            String version = in.header(SectionFormat.FILE_MAGIC);
            SavedConfig config = readConfig(in, source);
            return new SnapshotRestore(in, source, config, version);
        } catch (SnapshotException e) {
            closeQuietly(in);
            throw e;
        } catch (IOException e) {
            closeQuietly(in);
            throw new SnapshotException(source + ": " + e.getMessage());
        }
    }

    static SavedConfig readConfig(SectionInput in, String source) throws SnapshotException, IOException {
        SectionInput.Section s = in.next();
        if (!s.name().equals(SectionFormat.CONFIG)) {
            throw new SnapshotException(source + ": first section is '" + s.name() + "', expected config");
        }
        try {
            StateCursor c = s.cursor();
            SavedConfig config = SavedConfig.read(c, s.version());
            c.expectEnd();
            return config;
        } catch (StateException e) {
            throw new SnapshotException(source + ": " + e.getMessage());
        }
    }

    public SavedConfig config() {
        return config;
    }

    /** The HV version that wrote the file. */
    public String writtenBy() {
        return writtenBy;
    }

    @Override
    public void beforeVcpus(Machine machine) throws VmConfigException {
        try {
            new StateLoader(machine).loadAll(in, source);
        } catch (SnapshotException e) {
            throw new VmConfigException(e.getMessage());
        } catch (IOException e) {
            throw new VmConfigException(source + ": " + e.getMessage());
        } finally {
            close();
        }
    }

    /** Loads everything after the config into {@code machine} (for callers that are not a start hook). */
    public void loadInto(Machine machine) throws SnapshotException {
        try {
            new StateLoader(machine).loadAll(in, source);
        } catch (IOException e) {
            throw new SnapshotException(source + ": " + e.getMessage());
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(SectionInput in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do: we only read
        }
    }
}
