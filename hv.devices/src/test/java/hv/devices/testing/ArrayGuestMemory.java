package hv.devices.testing;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Guest RAM for tests: one byte-array-backed segment at {@code base}, with the same contract as
 * the real hv.memory view (every access bounds-checked, overflow-safe, little-endian).
 */
public final class ArrayGuestMemory implements GuestMemory {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long base;
    private final long size;
    private final MemorySegment ram;

    public ArrayGuestMemory(long base, int size) {
        this.base = base;
        this.size = size;
        this.ram = MemorySegment.ofArray(new byte[size]);
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public long end() {
        return base + size;
    }

    @Override
    public boolean isRam(long address, long length) {
        if (length < 0) {
            return false;
        }
        long off = address - base;
        return Long.compareUnsigned(address, base) >= 0 && off >= 0 && off <= size && length <= size - off;
    }

    private long offset(long address, long length) throws GuestMemoryException {
        if (!isRam(address, length)) {
            throw new GuestMemoryException(address, length);
        }
        return address - base;
    }

    @Override
    public byte readU8(long address) throws GuestMemoryException {
        return ram.get(ValueLayout.JAVA_BYTE, offset(address, 1));
    }

    @Override
    public short readU16(long address) throws GuestMemoryException {
        return ram.get(U16, offset(address, 2));
    }

    @Override
    public int readU32(long address) throws GuestMemoryException {
        return ram.get(U32, offset(address, 4));
    }

    @Override
    public long readU64(long address) throws GuestMemoryException {
        return ram.get(U64, offset(address, 8));
    }

    @Override
    public void writeU8(long address, byte value) throws GuestMemoryException {
        ram.set(ValueLayout.JAVA_BYTE, offset(address, 1), value);
    }

    @Override
    public void writeU16(long address, short value) throws GuestMemoryException {
        ram.set(U16, offset(address, 2), value);
    }

    @Override
    public void writeU32(long address, int value) throws GuestMemoryException {
        ram.set(U32, offset(address, 4), value);
    }

    @Override
    public void writeU64(long address, long value) throws GuestMemoryException {
        ram.set(U64, offset(address, 8), value);
    }

    @Override
    public void read(long address, ByteBuffer dst) throws GuestMemoryException {
        int n = dst.remaining();
        long off = offset(address, n);
        MemorySegment.ofBuffer(dst).copyFrom(ram.asSlice(off, n));
        dst.position(dst.position() + n);
    }

    @Override
    public void write(long address, ByteBuffer src) throws GuestMemoryException {
        int n = src.remaining();
        long off = offset(address, n);
        ram.asSlice(off, n).copyFrom(MemorySegment.ofBuffer(src));
        src.position(src.position() + n);
    }

    @Override
    public MemorySegment sliceForRead(long address, long length) throws GuestMemoryException {
        return ram.asSlice(offset(address, length), length).asReadOnly();
    }

    @Override
    public MemorySegment sliceForWrite(long address, long length) throws GuestMemoryException {
        return ram.asSlice(offset(address, length), length);
    }

    // ---- test conveniences (unchecked: tests use valid addresses) ----

    public void put(long address, byte[] bytes) {
        MemorySegment.copy(bytes, 0, ram, ValueLayout.JAVA_BYTE, address - base, bytes.length);
    }

    public byte[] get(long address, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, address - base, out, 0, length);
        return out;
    }

    public void fill(long address, int length, byte value) {
        ram.asSlice(address - base, length).fill(value);
    }
}
