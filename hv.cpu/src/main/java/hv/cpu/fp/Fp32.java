package hv.cpu.fp;

/** TEMPORARY stub by the hv.cpu developer (contract); the FPU developer's branch fpu replaces it. */
public final class Fp32 {
    private Fp32() {
    }

    private static UnsupportedOperationException pending() { return new UnsupportedOperationException("pending hv.cpu.fp"); }

    public static int add(int a, int b, int rm, FpFlags f) { throw pending(); }
    public static int sub(int a, int b, int rm, FpFlags f) { throw pending(); }
    public static int mul(int a, int b, int rm, FpFlags f) { throw pending(); }
    public static int div(int a, int b, int rm, FpFlags f) { throw pending(); }
    public static int sqrt(int a, int rm, FpFlags f) { throw pending(); }
    public static int fmadd(int a, int b, int c, int rm, FpFlags f) { throw pending(); }
    public static int fmsub(int a, int b, int c, int rm, FpFlags f) { throw pending(); }
    public static int fnmsub(int a, int b, int c, int rm, FpFlags f) { throw pending(); }
    public static int fnmadd(int a, int b, int c, int rm, FpFlags f) { throw pending(); }
    public static int min(int a, int b, FpFlags f) { throw pending(); }
    public static int max(int a, int b, FpFlags f) { throw pending(); }
    public static int eq(int a, int b, FpFlags f) { throw pending(); }
    public static int lt(int a, int b, FpFlags f) { throw pending(); }
    public static int le(int a, int b, FpFlags f) { throw pending(); }
    public static int classify(int a) { throw pending(); }
    public static long toInt32(int a, int rm, FpFlags f) { throw pending(); }
    public static long toUint32(int a, int rm, FpFlags f) { throw pending(); }
    public static long toInt64(int a, int rm, FpFlags f) { throw pending(); }
    public static long toUint64(int a, int rm, FpFlags f) { throw pending(); }
    public static int fromInt32(long v, int rm, FpFlags f) { throw pending(); }
    public static int fromUint32(long v, int rm, FpFlags f) { throw pending(); }
    public static int fromInt64(long v, int rm, FpFlags f) { throw pending(); }
    public static int fromUint64(long v, int rm, FpFlags f) { throw pending(); }
    public static long toFp64(int a, int rm, FpFlags f) { throw pending(); }
}
