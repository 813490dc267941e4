package hv.cpu.fp;

import static hv.cpu.fp.FpFlags.NV;
import static hv.cpu.fp.FpFlags.NX;

/**
 * fcvt.{w,wu,l,lu}.{s,d}: rounding a binary64 value (binary32 sources are widened exactly
 * first) to an integer, with the saturation table of the RISC-V "F" chapter: out-of-range
 * values and NaN set NV only (never NX) and yield the boundary of the destination range,
 * NaN and +inf the largest value, -inf the smallest; in-range inexact results set NX.
 * Negative values that round to 0 are in range for the unsigned conversions.
 */
final class FpToInt {
    static final int W = 0;
    static final int WU = 1;
    static final int L = 2;
    static final int LU = 3;

    private FpToInt() {
    }

    static long convert(long a, int rm, FpFlags fl, int kind) {
        double x = Double.longBitsToDouble(a);
        if (Math.abs(x) < 0x1p31) {
            // common case: the host's rounding primitives on a value that fits every kind
            long v = switch (rm) {
                case RoundingMode.RTZ -> (long) x;
                case RoundingMode.RDN -> (long) Math.floor(x);
                case RoundingMode.RUP -> (long) Math.ceil(x);
                case RoundingMode.RMM -> roundHalfAway(x);
                default -> (long) Math.rint(x);
            };
            boolean inRange = switch (kind) {
                case W -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
                case L -> true;
                default -> v >= 0;
            };
            if (inRange) {
                if (v != x) {
                    fl.bits |= NX;
                }
                return kind == WU ? (int) v : v;
            }
        }
        return convertExact(a, rm, fl, kind);
    }

    private static long roundHalfAway(double x) {
        long t = (long) x;
        double frac = x - t;                        // exact for |x| < 2^31
        if (frac >= 0.5) {
            t++;
        } else if (frac <= -0.5) {
            t--;
        }
        return t;
    }

    /** Exact integer rounding of any value, with saturation. */
    private static long convertExact(long a, int rm, FpFlags fl, int kind) {
        int be = (int) (a >>> 52) & 0x7ff;
        boolean neg = a < 0;
        if (be == 0x7ff) {
            fl.bits |= NV;
            return (a & Fp64.FRAC) != 0 || !neg ? largest(kind) : smallest(kind);
        }
        long m = Fp64.significand(a);
        if (m == 0) {
            return 0;
        }
        int e = (be == 0 ? 1 : be) - 1075;
        long q;
        boolean inexact = false;
        if (e >= 0) {
            if (e > 11) {
                fl.bits |= NV;                      // at least 2^64
                return neg ? smallest(kind) : largest(kind);
            }
            q = m << e;                             // unsigned, below 2^64
        } else {
            int sh = -e;
            boolean half;
            boolean rest;
            if (sh > 54) {
                q = 0;
                half = false;
                rest = true;
            } else {
                q = m >>> sh;
                half = ((m >>> (sh - 1)) & 1) != 0;
                rest = (m & ((1L << (sh - 1)) - 1)) != 0;
            }
            inexact = half | rest;
            if (inexact && RoundPack.roundsUp(rm, neg, q, half, rest)) {
                q++;
            }
        }
        if (!inRange(q, neg, kind)) {
            fl.bits |= NV;
            return neg ? smallest(kind) : largest(kind);
        }
        if (inexact) {
            fl.bits |= NX;
        }
        return switch (kind) {
            case W, L -> neg ? -q : q;
            case WU -> (int) q;                     // sign-extend the 32-bit result
            default -> q;
        };
    }

    /** Whether the magnitude q (unsigned) with sign neg fits the destination. */
    private static boolean inRange(long q, boolean neg, int kind) {
        return switch (kind) {
            case W -> Long.compareUnsigned(q, neg ? 0x8000_0000L : 0x7fff_ffffL) <= 0;
            case WU -> neg ? q == 0 : Long.compareUnsigned(q, 0xffff_ffffL) <= 0;
            case L -> Long.compareUnsigned(q, neg ? 0x8000_0000_0000_0000L : Long.MAX_VALUE) <= 0;
            default -> !neg || q == 0;
        };
    }

    private static long largest(int kind) {
        return switch (kind) {
            case W -> Integer.MAX_VALUE;
            case WU -> -1L;                         // 0xffffffff sign-extended
            case L -> Long.MAX_VALUE;
            default -> -1L;                         // 2^64 - 1
        };
    }

    private static long smallest(int kind) {
        return switch (kind) {
            case W -> Integer.MIN_VALUE;
            case L -> Long.MIN_VALUE;
            default -> 0;
        };
    }
}
