package hv.api.state;

/** A snapshot stream cannot be restored: wrong version, truncated, or inconsistent. */
public class StateException extends Exception {
    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
