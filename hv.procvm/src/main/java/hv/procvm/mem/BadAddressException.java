package hv.procvm.mem;

/**
 * A kernel-side access to guest memory hit an address the process may not access that way: the
 * system call fails with EFAULT. Carries no stack trace: it is routine guest-controlled input.
 */
public final class BadAddressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;

    public BadAddressException(long address) {
        super(null, null, false, false);
        this.address = address;
    }

    public long address() {
        return address;
    }

    @Override
    public String getMessage() {
        return "bad guest address 0x" + Long.toHexString(address);
    }
}
