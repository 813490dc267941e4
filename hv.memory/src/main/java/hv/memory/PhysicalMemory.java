package hv.memory;

/**
 * CONTRACT (to be implemented by the hv.memory owner). The guest-physical address map: RAM,
 * MMIO windows (hv.api MmioHandler) and holes. A hole access is an access fault in the guest.
 */
public final class PhysicalMemory {
    public PhysicalMemory(GuestRam ram) {
        throw new UnsupportedOperationException("pending hv.memory implementation");
    }
}
