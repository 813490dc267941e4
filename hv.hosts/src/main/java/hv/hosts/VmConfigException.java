package hv.hosts;

/** The VM cannot be built as configured (bad image, unknown device, impossible memory size). One line. */
public class VmConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public VmConfigException(String message) {
        super(message);
    }

    public VmConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
