package hv.cpu.fp;

/** TEMPORARY stub by the hv.cpu developer (contract); the FPU developer's branch fpu replaces it. */
public final class FpFlags {
    public static final int NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
    public int bits;
}
