package hv.api.device;

/**
 * A device's register window. Offsets are relative to the window's base; {@code size} is
 * 1, 2, 4 or 8 bytes and the access is naturally aligned (the bus splits or refuses others).
 *
 * <p>Called on vCPU threads, possibly several at once: implementations must be thread-safe,
 * must not block, and must not throw for any guest-chosen offset or value (a guest can never
 * crash the VMM). Reads of unimplemented registers return 0; writes to them are ignored.
 */
public interface MmioHandler {

    long read(long offset, int size);

    void write(long offset, int size, long value);
}
