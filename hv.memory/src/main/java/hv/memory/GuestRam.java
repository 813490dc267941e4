package hv.memory;

import java.lang.foreign.MemorySegment;

/**
 * CONTRACT (to be implemented by the hv.memory owner). Guest RAM: an off-heap MemorySegment at
 * {@link #DEFAULT_BASE}, little-endian accessors by offset, atomic accessors, dirty log.
 *
 * <p>TEMPORARY signature stubs added by the hv.cpu developer so hv.cpu compiles against the
 * announced API; replaced wholesale by the hv.memory implementation (branch mem).
 */
public final class GuestRam {
    public static final long DEFAULT_BASE = 0x8000_0000L;

    private GuestRam() {
    }

    public static GuestRam allocate(long base, long size) { throw new UnsupportedOperationException("pending hv.memory"); }

    public long base() { throw new UnsupportedOperationException(); }

    public long size() { throw new UnsupportedOperationException(); }

    public MemorySegment segment() { throw new UnsupportedOperationException(); }

    public byte getByte(long off) { throw new UnsupportedOperationException(); }

    public short getShort(long off) { throw new UnsupportedOperationException(); }

    public int getInt(long off) { throw new UnsupportedOperationException(); }

    public long getLong(long off) { throw new UnsupportedOperationException(); }

    public void putByte(long off, byte v) { throw new UnsupportedOperationException(); }

    public void putShort(long off, short v) { throw new UnsupportedOperationException(); }

    public void putInt(long off, int v) { throw new UnsupportedOperationException(); }

    public void putLong(long off, long v) { throw new UnsupportedOperationException(); }

    public int getIntVolatile(long off) { throw new UnsupportedOperationException(); }

    public long getLongVolatile(long off) { throw new UnsupportedOperationException(); }

    public int compareAndExchangeInt(long off, int expected, int value) { throw new UnsupportedOperationException(); }

    public long compareAndExchangeLong(long off, long expected, long value) { throw new UnsupportedOperationException(); }

    public int getAndAddInt(long off, int delta) { throw new UnsupportedOperationException(); }

    public long getAndAddLong(long off, long delta) { throw new UnsupportedOperationException(); }

    public int getAndSetInt(long off, int value) { throw new UnsupportedOperationException(); }

    public long getAndSetLong(long off, long value) { throw new UnsupportedOperationException(); }

    public void write(long paddr, byte[] data) { throw new UnsupportedOperationException(); }

    public void read(long paddr, byte[] data) { throw new UnsupportedOperationException(); }
}
