package hv.hosts.snapshot;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Writes a header and then sections (see {@link SectionFormat}). Not thread-safe. */
public final class SectionOutput implements AutoCloseable {
    private final DataOutputStream out;
    private final CRC32 crc = new CRC32();
    private long bytes;

    public SectionOutput(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    public void header(byte[] magic) throws IOException {
        out.write(magic);
        out.writeInt(SectionFormat.FORMAT_VERSION);
        writeName(SectionFormat.hvVersion());
        bytes = out.size();
    }

    public void section(String name, int version, StateBuffer payload) throws IOException {
        section(name, version, payload.array(), payload.size());
    }

    public void section(String name, int version, byte[] payload, int length) throws IOException {
        if (length > SectionFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException(name + ": section of " + length + " bytes is over the limit");
        }
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        crc.reset();
        crc.update(n);
        crc.update(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8), (byte) version});
        crc.update(payload, 0, length);
        writeName(name);
        out.writeInt(version);
        out.writeInt(length);
        out.writeInt((int) crc.getValue());
        out.write(payload, 0, length);
        bytes += 2 + n.length + 12 + length;
    }

    public void end() throws IOException {
        section(SectionFormat.END, 1, new byte[0], 0);
        out.flush();
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    private void writeName(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(b.length);
        out.write(b);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
