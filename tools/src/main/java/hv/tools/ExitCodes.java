package hv.tools;

/**
 * The launcher's exit statuses, documented in README. A guest that reports its own code
 * (syscon/HTIF with a non-zero value, or a process under {@code hv exec}) passes it through.
 */
public final class ExitCodes {
    /** The guest powered off normally, or the command succeeded. */
    public static final int OK = 0;
    /** An internal error in HV (a bug): the message says what failed. */
    public static final int INTERNAL_ERROR = 1;
    /** Bad usage: unknown subcommand or option. */
    public static final int USAGE = 2;
    /** Bad configuration or input: a missing or malformed kernel, an impossible memory size, a broken device. */
    public static final int BAD_INPUT = 3;
    /** The guest asked for a reboot and --no-reboot was given. */
    public static final int GUEST_REBOOT = 4;

    private ExitCodes() {
    }
}
