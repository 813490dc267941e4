package hv.cpu.fp;

/**
 * The rounding-mode encodings of the RISC-V rm field and frm CSR (unprivileged ISA, "F"
 * extension, table "Rounding mode encoding"). Encodings 5 and 6 are reserved and 7 (DYN)
 * selects frm; resolving DYN and trapping on reserved values is the decoder's job, so every
 * method in this package expects one of the five values below (anything else acts as RNE).
 */
public final class RoundingMode {
    /** Round to nearest, ties to even. */
    public static final int RNE = 0;
    /** Round towards zero. */
    public static final int RTZ = 1;
    /** Round down (towards negative infinity). */
    public static final int RDN = 2;
    /** Round up (towards positive infinity). */
    public static final int RUP = 3;
    /** Round to nearest, ties to max magnitude. */
    public static final int RMM = 4;
    /** The instruction field value that selects frm. */
    public static final int DYN = 7;

    private RoundingMode() {
    }

    /** Whether {@code rm} is one of the five rounding modes (not reserved, not DYN). */
    public static boolean isValid(int rm) {
        return rm >= RNE && rm <= RMM;
    }
}
