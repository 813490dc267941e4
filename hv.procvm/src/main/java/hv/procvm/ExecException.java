package hv.procvm;

/** The program cannot be run (not found, not a riscv64 executable, bad options): a one-line message. */
public final class ExecException extends Exception {
    private static final long serialVersionUID = 1L;

    public ExecException(String message) {
        super(message, null, false, false);
    }
}
