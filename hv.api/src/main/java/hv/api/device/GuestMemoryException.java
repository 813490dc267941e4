package hv.api.device;

/**
 * A device asked for guest memory that is not guest RAM (outside RAM, wrapping, or too long).
 * Checked on purpose: the device decides how to fail (drop the request, set an error status,
 * set DEVICE_NEEDS_RESET), HV never does it behind its back.
 */
public class GuestMemoryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length) {
        super(String.format("guest memory [0x%x, +0x%x) is not RAM", address, length), null, false, false);
        this.address = address;
        this.length = length;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }
}
