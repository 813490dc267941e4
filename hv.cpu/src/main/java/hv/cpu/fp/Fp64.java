package hv.cpu.fp;

/** TEMPORARY stub by the hv.cpu developer (contract); the FPU developer's branch fpu replaces it. */
public final class Fp64 {
    private Fp64() {
    }

    private static UnsupportedOperationException pending() { return new UnsupportedOperationException("pending hv.cpu.fp"); }

    public static long add(long a, long b, int rm, FpFlags f) { throw pending(); }
    public static long sub(long a, long b, int rm, FpFlags f) { throw pending(); }
    public static long mul(long a, long b, int rm, FpFlags f) { throw pending(); }
    public static long div(long a, long b, int rm, FpFlags f) { throw pending(); }
    public static long sqrt(long a, int rm, FpFlags f) { throw pending(); }
    public static long fmadd(long a, long b, long c, int rm, FpFlags f) { throw pending(); }
    public static long fmsub(long a, long b, long c, int rm, FpFlags f) { throw pending(); }
    public static long fnmsub(long a, long b, long c, int rm, FpFlags f) { throw pending(); }
    public static long fnmadd(long a, long b, long c, int rm, FpFlags f) { throw pending(); }
    public static long min(long a, long b, FpFlags f) { throw pending(); }
    public static long max(long a, long b, FpFlags f) { throw pending(); }
    public static int eq(long a, long b, FpFlags f) { throw pending(); }
    public static int lt(long a, long b, FpFlags f) { throw pending(); }
    public static int le(long a, long b, FpFlags f) { throw pending(); }
    public static int classify(long a) { throw pending(); }
    public static long toInt32(long a, int rm, FpFlags f) { throw pending(); }
    public static long toUint32(long a, int rm, FpFlags f) { throw pending(); }
    public static long toInt64(long a, int rm, FpFlags f) { throw pending(); }
    public static long toUint64(long a, int rm, FpFlags f) { throw pending(); }
    public static long fromInt32(long v, int rm, FpFlags f) { throw pending(); }
    public static long fromUint32(long v, int rm, FpFlags f) { throw pending(); }
    public static long fromInt64(long v, int rm, FpFlags f) { throw pending(); }
    public static long fromUint64(long v, int rm, FpFlags f) { throw pending(); }
    public static int toFp32(long a, int rm, FpFlags f) { throw pending(); }
}
