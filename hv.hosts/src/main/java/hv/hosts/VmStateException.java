package hv.hosts;

/** A VM cannot do what was asked in its current state (pause an ended VM, resume a running one...). */
public final class VmStateException extends Exception {
    private static final long serialVersionUID = 1L;

    public VmStateException(String message) {
        super(message, null, false, false);
    }
}
