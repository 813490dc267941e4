package hv.cpu.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit-exact result and flag assertions with readable messages. */
final class FpAssert {
    static final int RNE = RoundingMode.RNE;
    static final int RTZ = RoundingMode.RTZ;
    static final int RDN = RoundingMode.RDN;
    static final int RUP = RoundingMode.RUP;
    static final int RMM = RoundingMode.RMM;
    static final int NONE = 0;
    static final int NX = FpFlags.NX;
    static final int UF = FpFlags.UF;
    static final int OF = FpFlags.OF;
    static final int DZ = FpFlags.DZ;
    static final int NV = FpFlags.NV;

    static final long QNAN64 = 0x7ff8_0000_0000_0000L;
    static final long SNAN64 = 0x7ff4_0000_0000_0001L;
    static final long NEG_QNAN_PAYLOAD64 = 0xfff8_0000_dead_beefL;
    static final long PINF64 = 0x7ff0_0000_0000_0000L;
    static final long NINF64 = 0xfff0_0000_0000_0000L;
    static final long PZERO64 = 0L;
    static final long NZERO64 = 0x8000_0000_0000_0000L;
    static final long MAX64 = 0x7fef_ffff_ffff_ffffL;
    static final long MIN_NORMAL64 = 0x0010_0000_0000_0000L;
    static final long MAX_SUB64 = 0x000f_ffff_ffff_ffffL;
    static final long MIN_SUB64 = 1L;

    static final int QNAN32 = 0x7fc0_0000;
    static final int SNAN32 = 0x7fa0_0001;
    static final int PINF32 = 0x7f80_0000;
    static final int NINF32 = 0xff80_0000;
    static final int NZERO32 = 0x8000_0000;
    static final int MAX32 = 0x7f7f_ffff;
    static final int MIN_NORMAL32 = 0x0080_0000;
    static final int MAX_SUB32 = 0x007f_ffff;

    private FpAssert() {
    }

    static long b(double x) {
        return Double.doubleToRawLongBits(x);
    }

    static int f(float x) {
        return Float.floatToRawIntBits(x);
    }

    static String rmName(int rm) {
        return new String[] {"RNE", "RTZ", "RDN", "RUP", "RMM"}[rm];
    }

    /** Runs an operation with fresh flags and checks result bits and the exact flag set. */
    static void expect64(String what, long expected, int expectedFlags, java.util.function.ToLongFunction<FpFlags> op) {
        FpFlags fl = new FpFlags();
        long got = op.applyAsLong(fl);
        assertEquals(String.format("%016x %s", expected, new FpFlags(expectedFlags)),
                String.format("%016x %s", got, fl), what);
    }

    static void expect32(String what, int expected, int expectedFlags, java.util.function.ToIntFunction<FpFlags> op) {
        FpFlags fl = new FpFlags();
        int got = op.applyAsInt(fl);
        assertEquals(String.format("%08x %s", expected, new FpFlags(expectedFlags)),
                String.format("%08x %s", got, fl), what);
    }
}
