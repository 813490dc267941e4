package hv.memory;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The device DMA view of guest RAM (hv.api {@link GuestMemory}). Every access is checked against
 * RAM when it is made, with overflow-safe arithmetic ({@link GuestRam#contains}), so a guest
 * that hands a device a bogus, wrapping or too-long buffer gets a {@link GuestMemoryException}
 * the device turns into an error status; no host address ever leaks. Writes mark pages dirty
 * after the data lands (see {@link DirtyLog}) and tell the MMUs when they hit a page table.
 */
final class DmaView implements GuestMemory {
    private final GuestRam ram;
    private final PhysicalMemory memory;

    DmaView(GuestRam ram, PhysicalMemory memory) {
        this.ram = ram;
        this.memory = memory;
    }

    @Override
    public boolean isRam(long address, long length) {
        return ram.contains(address, length);
    }

    private long check(long address, long length) throws GuestMemoryException {
        if (!ram.contains(address, length)) {
            throw new GuestMemoryException(address, length);
        }
        return address - ram.base();
    }

    private void written(long off, long length) {
        ram.dirtyLog().markRange(off, length);
        memory.ramWrittenByHost(off, length);
    }

    @Override
    public byte readU8(long address) throws GuestMemoryException {
        return ram.getByte(check(address, 1));
    }

    @Override
    public short readU16(long address) throws GuestMemoryException {
        return ram.getShort(check(address, 2));
    }

    @Override
    public int readU32(long address) throws GuestMemoryException {
        return ram.getInt(check(address, 4));
    }

    @Override
    public long readU64(long address) throws GuestMemoryException {
        return ram.getLong(check(address, 8));
    }

    @Override
    public void writeU8(long address, byte value) throws GuestMemoryException {
        long off = check(address, 1);
        ram.putByte(off, value);
        written(off, 1);
    }

    @Override
    public void writeU16(long address, short value) throws GuestMemoryException {
        long off = check(address, 2);
        ram.putShort(off, value);
        written(off, 2);
    }

    @Override
    public void writeU32(long address, int value) throws GuestMemoryException {
        long off = check(address, 4);
        ram.putInt(off, value);
        written(off, 4);
    }

    @Override
    public void writeU64(long address, long value) throws GuestMemoryException {
        long off = check(address, 8);
        ram.putLong(off, value);
        written(off, 8);
    }

    @Override
    public void read(long address, ByteBuffer dst) throws GuestMemoryException {
        int n = dst.remaining();
        long off = check(address, n);
        MemorySegment.ofBuffer(dst).copyFrom(ram.segment().asSlice(off, n));
        dst.position(dst.position() + n);
    }

    @Override
    public void write(long address, ByteBuffer src) throws GuestMemoryException {
        int n = src.remaining();
        long off = check(address, n);
        ram.segment().asSlice(off, n).copyFrom(MemorySegment.ofBuffer(src));
        src.position(src.position() + n);
        written(off, n);
    }

    @Override
    public MemorySegment sliceForRead(long address, long length) throws GuestMemoryException {
        return ram.segment().asSlice(check(address, length), length).asReadOnly();
    }

    @Override
    public MemorySegment sliceForWrite(long address, long length) throws GuestMemoryException {
        long off = check(address, length);
        // The contract marks up front: the device writes later, outside our sight.
        written(off, length);
        return ram.segment().asSlice(off, length);
    }
}
