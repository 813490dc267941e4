package hv.hosts.snapshot;

import hv.api.state.StateWriter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link StateWriter} into a growable byte array: big-endian fixed-width numbers, arrays and
 * strings prefixed with their element count. One section's payload; {@link StateCursor} reads it.
 */
public final class StateBuffer implements StateWriter {
    private byte[] data = new byte[256];
    private int size;

    @Override
    public void putBoolean(boolean v) {
        ensure(1);
        data[size++] = (byte) (v ? 1 : 0);
    }

    @Override
    public void putInt(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            data[size++] = (byte) (v >>> shift);
        }
    }

    @Override
    public void putLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            data[size++] = (byte) (v >>> shift);
        }
    }

    @Override
    public void putLongs(long[] v) {
        putInt(v.length);
        for (long x : v) {
            putLong(x);
        }
    }

    @Override
    public void putBytes(byte[] v) {
        putInt(v.length);
        putRaw(v, 0, v.length);
    }

    @Override
    public void putString(String v) {
        putBytes(v.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes without a length prefix (RAM pages, whose size is fixed). */
    public void putRaw(byte[] v, int off, int len) {
        ensure(len);
        System.arraycopy(v, off, data, size, len);
        size += len;
    }

    public int size() {
        return size;
    }

    /** The bytes written so far (a copy). */
    public byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    /** The backing array; valid up to {@link #size()}. */
    byte[] array() {
        return data;
    }

    public void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
        }
    }
}
