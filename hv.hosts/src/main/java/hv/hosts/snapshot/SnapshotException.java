package hv.hosts.snapshot;

/**
 * A snapshot file or migration stream that cannot be used: not one, truncated, corrupt, of
 * another format version, or for a different machine. The message is one line for the user.
 */
public final class SnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    public SnapshotException(String message) {
        super(message, null, false, false);
    }
}
