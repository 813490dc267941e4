package hv.hosts.snapshot;

import hv.api.state.StateException;
import hv.api.state.StateReader;

import java.nio.charset.StandardCharsets;

/**
 * Reads a section payload written by {@link StateBuffer}, field by field. Every read is checked
 * against the payload's end, and counts against the bytes left, so a corrupt or hostile stream
 * yields a {@link StateException} naming the section, never an exception of the JDK.
 */
public final class StateCursor implements StateReader {
    private final String section;
    private final byte[] data;
    private int pos;
    private final int end;

    public StateCursor(String section, byte[] data) {
        this(section, data, 0, data.length);
    }

    public StateCursor(String section, byte[] data, int offset, int length) {
        this.section = section;
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public boolean getBoolean() throws StateException {
        need(1, "a boolean");
        byte b = data[pos++];
        if (b != 0 && b != 1) {
            throw new StateException(section + ": bad boolean " + b);
        }
        return b == 1;
    }

    @Override
    public int getInt() throws StateException {
        need(4, "an int");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    @Override
    public long getLong() throws StateException {
        need(8, "a long");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    @Override
    public long[] getLongs() throws StateException {
        int n = count(8, "longs");
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = getLong();
        }
        return v;
    }

    @Override
    public byte[] getBytes() throws StateException {
        int n = count(1, "bytes");
        byte[] v = new byte[n];
        getRaw(v, 0, n);
        return v;
    }

    @Override
    public String getString() throws StateException {
        return new String(getBytes(), StandardCharsets.UTF_8);
    }

    /** Fixed-size bytes without a length prefix. */
    public void getRaw(byte[] dst, int off, int len) throws StateException {
        need(len, len + " bytes");
        System.arraycopy(data, pos, dst, off, len);
        pos += len;
    }

    /** Where the next raw bytes start in {@link #array()} (for copying RAM pages without a temporary). */
    int position() {
        return pos;
    }

    byte[] array() {
        return data;
    }

    void skip(int n) throws StateException {
        need(n, n + " bytes");
        pos += n;
    }

    public boolean atEnd() {
        return pos == end;
    }

    public int remaining() {
        return end - pos;
    }

    /** The component read all its fields: what is left over means the layouts disagree. */
    public void expectEnd() throws StateException {
        if (pos != end) {
            throw new StateException(section + ": " + (end - pos) + " bytes left over after the last field");
        }
    }

    private int count(int elementSize, String what) throws StateException {
        int n = getInt();
        if (n < 0 || (long) n * elementSize > end - pos) {
            throw new StateException(section + ": bad length " + n + " of " + what + " (" + (end - pos) + " bytes left)");
        }
        return n;
    }

    private void need(int n, String what) throws StateException {
        if (end - pos < n) {
            throw new StateException(section + ": truncated, expected " + what);
        }
    }
}
