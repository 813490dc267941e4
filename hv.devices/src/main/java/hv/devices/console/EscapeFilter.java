package hv.devices.console;

/**
 * The console escape, as in QEMU's {@code -nographic} mode: Ctrl-A x quits HV, Ctrl-A Ctrl-A
 * sends one Ctrl-A to the guest, Ctrl-A followed by anything else sends both bytes. The
 * escape may straddle two reads. Single-threaded (the reader thread).
 */
public final class EscapeFilter {

    public static final byte CTRL_A = 0x01;

    private final Runnable quit;
    private boolean afterEscape;
    private boolean quitRequested;

    public EscapeFilter(Runnable quit) {
        this.quit = quit;
    }

    /**
     * Filters {@code n} bytes of {@code in} into {@code out} (which must hold {@code 2 * n}
     * bytes) and returns how many bytes the guest should get. Bytes after a quit are dropped.
     */
    public int filter(byte[] in, int n, byte[] out) {
        int m = 0;
        for (int i = 0; i < n && !quitRequested; i++) {
            byte b = in[i];
            if (afterEscape) {
                afterEscape = false;
                if (b == 'x' || b == 'X') {
                    quitRequested = true;
                    quit.run();
                } else if (b == CTRL_A) {
                    out[m++] = CTRL_A;
                } else {
                    out[m++] = CTRL_A;
                    out[m++] = b;
                }
            } else if (b == CTRL_A) {
                afterEscape = true;
            } else {
                out[m++] = b;
            }
        }
        return m;
    }

    public boolean quitRequested() {
        return quitRequested;
    }
}
