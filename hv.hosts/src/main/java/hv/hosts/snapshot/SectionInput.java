package hv.hosts.snapshot;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads what {@link SectionOutput} wrote, checking everything: magic, format version, name and
 * payload lengths, the CRC-32 of each section. Problems come out as {@link SnapshotException}s
 * with one line that names the section; a stream that stops early is "truncated".
 */
public final class SectionInput implements AutoCloseable {

    /** One checked section. */
    public record Section(String name, int version, byte[] payload) {
        public StateCursor cursor() {
            return new StateCursor(name, payload);
        }
    }

    private final DataInputStream in;
    private final String source;
    private final CRC32 crc = new CRC32();
    private String hvVersion;
    private long bytes;
    private String last = "the header";

    /** @param source what the stream is, for messages ("snapshot x.hvsnap", "migration stream") */
    public SectionInput(InputStream in, String source) {
        this.in = new DataInputStream(in);
        this.source = source;
    }

    /** Reads and checks the header; returns the HV version that wrote the stream. */
    public String header(byte[] expectedMagic) throws SnapshotException, IOException {
        byte[] magic = new byte[expectedMagic.length];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw new SnapshotException(source + ": too short to be an HV " + kind(expectedMagic) + " (no header)");
        }
        if (!Arrays.equals(magic, expectedMagic)) {
            throw new SnapshotException(source + ": not an HV " + kind(expectedMagic) + " (wrong magic)");
        }
        try {
            int format = in.readInt();
            if (format != SectionFormat.FORMAT_VERSION) {
                throw new SnapshotException(source + ": format version " + format + ", this HV reads version "
                        + SectionFormat.FORMAT_VERSION + " only");
            }
            hvVersion = readName("HV version");
        } catch (EOFException e) {
            throw truncated();
        }
        bytes = expectedMagic.length + 4 + 2 + hvVersion.length();
        return hvVersion;
    }

    /** The next section, checked. */
    public Section next() throws SnapshotException, IOException {
        try {
            String name = readName("section name");
            int version = in.readInt();
            int length = in.readInt();
            int expectedCrc = in.readInt();
            if (length < 0 || length > SectionFormat.MAX_PAYLOAD) {
                throw new SnapshotException(source + ": section '" + name + "' claims " + length + " bytes");
            }
            last = "section '" + name + "'";
            byte[] payload = new byte[length];
            in.readFully(payload);
            crc.reset();
            crc.update(name.getBytes(StandardCharsets.UTF_8));
            crc.update(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8), (byte) version});
            crc.update(payload);
            if ((int) crc.getValue() != expectedCrc) {
                throw new SnapshotException(source + ": checksum mismatch in section '" + name + "' (corrupt)");
            }
            bytes += 2 + name.length() + 12 + length;
            return new Section(name, version, payload);
        } catch (EOFException e) {
            throw truncated();
        }
    }

    /** Bytes read so far. */
    public long bytes() {
        return bytes;
    }

    private SnapshotException truncated() {
        return new SnapshotException(source + ": truncated (ends inside or after " + last + ")");
    }

    private String readName(String what) throws IOException, SnapshotException {
        int n = in.readUnsignedShort();
        if (n > SectionFormat.MAX_NAME) {
            throw new SnapshotException(source + ": " + what + " of " + n + " bytes (corrupt)");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String kind(byte[] magic) {
        return Arrays.equals(magic, SectionFormat.FILE_MAGIC) ? "snapshot" : "migration stream";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
