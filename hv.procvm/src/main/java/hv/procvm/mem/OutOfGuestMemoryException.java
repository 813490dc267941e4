package hv.procvm.mem;

/** Guest RAM has no free frame left: the syscall fails with ENOMEM, a fault kills the process. */
public final class OutOfGuestMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutOfGuestMemoryException() {
        super("guest RAM exhausted", null, false, false);
    }
}
