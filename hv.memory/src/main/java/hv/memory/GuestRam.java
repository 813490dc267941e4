package hv.memory;

/**
 * CONTRACT (to be implemented by the hv.memory owner). Guest RAM: an off-heap MemorySegment at
 * {@link #DEFAULT_BASE}, little-endian accessors by offset, atomic accessors, dirty log.
 */
public final class GuestRam {
    public static final long DEFAULT_BASE = 0x8000_0000L;

    private GuestRam() {
    }
}
