package hv.cpu.fp;

/**
 * Accrued floating-point exception flags, laid out exactly as the RISC-V fflags CSR
 * (unprivileged ISA, "F" extension, section "Floating-Point Control and Status Register").
 *
 * <p>Operations only ever OR bits in, as the hardware accrues them; the hart copies
 * {@link #bits} into fflags (and sets mstatus.FS dirty) after each instruction, or keeps one
 * instance per hart as the fflags storage itself.
 */
public final class FpFlags {
    /** Inexact. */
    public static final int NX = 1;
    /** Underflow (tiny after rounding and inexact). */
    public static final int UF = 2;
    /** Overflow. */
    public static final int OF = 4;
    /** Divide by zero. */
    public static final int DZ = 8;
    /** Invalid operation. */
    public static final int NV = 16;

    /** The accrued flags; only the low five bits are ever set. */
    public int bits;

    public FpFlags() {
    }

    public FpFlags(int bits) {
        this.bits = bits;
    }

    @Override
    public String toString() {
        return ((bits & NV) != 0 ? "NV" : "-") + ((bits & DZ) != 0 ? "DZ" : "-")
                + ((bits & OF) != 0 ? "OF" : "-") + ((bits & UF) != 0 ? "UF" : "-")
                + ((bits & NX) != 0 ? "NX" : "-");
    }
}
