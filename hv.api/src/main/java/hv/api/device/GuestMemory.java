package hv.api.device;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The view of guest RAM a device gets for DMA, addressed by guest-physical address.
 * Every access is checked against RAM at the time it is made (as rust-vmm's GuestMemory does),
 * with overflow-safe arithmetic; no host address ever leaks. Writes mark the touched pages
 * dirty, so snapshots and live migration see DMA like any other store.
 * Multi-byte values are little-endian, as in virtio 1.x.
 */
public interface GuestMemory {

    /** True when [address, address+length) lies entirely in guest RAM. */
    boolean isRam(long address, long length);

    byte readU8(long address) throws GuestMemoryException;

    short readU16(long address) throws GuestMemoryException;

    int readU32(long address) throws GuestMemoryException;

    long readU64(long address) throws GuestMemoryException;

    void writeU8(long address, byte value) throws GuestMemoryException;

    void writeU16(long address, short value) throws GuestMemoryException;

    void writeU32(long address, int value) throws GuestMemoryException;

    void writeU64(long address, long value) throws GuestMemoryException;

    /** Copies {@code dst.remaining()} bytes from guest memory into {@code dst}. */
    void read(long address, ByteBuffer dst) throws GuestMemoryException;

    /** Copies {@code src.remaining()} bytes from {@code src} into guest memory. */
    void write(long address, ByteBuffer src) throws GuestMemoryException;

    /** A read-only, bounds-limited view of [address, address+length) for zero-copy reads. */
    MemorySegment sliceForRead(long address, long length) throws GuestMemoryException;

    /** A writable, bounds-limited view; the pages it covers are marked dirty up front. */
    MemorySegment sliceForWrite(long address, long length) throws GuestMemoryException;

    /** Makes prior guest stores visible before reading a ring index (acquire), as the virtio memory model asks. */
    default void acquireFence() {
        java.lang.invoke.VarHandle.acquireFence();
    }

    /** Orders prior device writes before a subsequent index publication (release). */
    default void releaseFence() {
        java.lang.invoke.VarHandle.releaseFence();
    }
}
