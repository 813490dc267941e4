package hv.hosts.boot;

/** The VM cannot boot as configured (bad image, things that do not fit in RAM). One-line message. */
public class BootException extends Exception {
    private static final long serialVersionUID = 1L;

    public BootException(String message) {
        super(message);
    }
}
