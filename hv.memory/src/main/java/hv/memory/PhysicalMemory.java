package hv.memory;

import hv.api.device.MmioHandler;

/**
 * CONTRACT (to be implemented by the hv.memory owner). The guest-physical address map: RAM,
 * MMIO windows (hv.api MmioHandler) and holes. A hole access is an access fault in the guest.
 *
 * <p>TEMPORARY signature stubs added by the hv.cpu developer; replaced by branch mem.
 */
public final class PhysicalMemory {
    public PhysicalMemory(GuestRam ram) {
        throw new UnsupportedOperationException("pending hv.memory implementation");
    }

    public GuestRam ram() { throw new UnsupportedOperationException(); }

    public void mapMmio(String name, long base, long size, MmioHandler handler) { throw new UnsupportedOperationException(); }
}
