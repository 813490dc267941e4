package hv.cpu.fp;

import static hv.cpu.fp.FpFlags.DZ;
import static hv.cpu.fp.FpFlags.NV;
import static hv.cpu.fp.FpFlags.NX;
import static hv.cpu.fp.RoundingMode.RDN;
import static hv.cpu.fp.RoundingMode.RNE;

/**
 * binary32 operations of the RISC-V F extension on raw bits.
 *
 * <p>Every operation is computed in binary64 exactly or with a known error sign (the product
 * of two floats and the sum of a double product and a float are exact in double up to one
 * TwoSum error; quotient and root have an exact FMA remainder), and that value is then
 * rounded once to binary32. This avoids the double-rounding hazard of {@code (float) double}:
 * the plain cast is only used when it provably equals the single rounding.
 */
public final class Fp32 {
    /** The canonical NaN of the F extension. */
    public static final int CANONICAL_NAN = 0x7fc0_0000;
    static final int SIGN = 0x8000_0000;
    static final int EXP = 0x7f80_0000;
    static final int FRAC = 0x007f_ffff;
    static final int QUIET = 0x0040_0000;

    private Fp32() {
    }

    static boolean isNaN(int a) {
        return (a & ~SIGN) > EXP;
    }

    static boolean isSignalingNaN(int a) {
        return isNaN(a) && (a & QUIET) == 0;
    }

    private static boolean isInf(int a) {
        return (a & ~SIGN) == EXP;
    }

    private static boolean isZero(int a) {
        return (a & ~SIGN) == 0;
    }

    /** Infinity or NaN. */
    private static boolean special(int a) {
        return (a & EXP) == EXP;
    }

    /** Exact widening of a non-NaN value. */
    private static double w(int a) {
        return Float.intBitsToFloat(a);
    }

    private static int nan(int a, int b, FpFlags fl) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            fl.bits |= NV;
        }
        return CANONICAL_NAN;
    }

    private static int invalid(FpFlags fl) {
        fl.bits |= NV;
        return CANONICAL_NAN;
    }

    /**
     * Rounds the exact value {@code v + e} to binary32, where v is the nearest double to it and
     * only the sign of {@code err} is meaningful: the sign of {@code e} (0 if v is exact).
     * v is nonzero and finite.
     */
    private static int round(double v, double err, int rm, FpFlags fl) {
        if (rm == RNE) {
            float f = (float) v;
            float af = Math.abs(f);
            // the cast is the single rounding unless v sits exactly on a binary32 midpoint
            // while the exact value does not (then the error decides the direction)
            if (af >= 0x1p-125f && af <= Float.MAX_VALUE
                    && (err == 0 || (Double.doubleToRawLongBits(v) & 0x1fff_ffffL) != 0x1000_0000L)) {
                if (f != v || err != 0) {
                    fl.bits |= NX;
                }
                return Float.floatToRawIntBits(f);
            }
        }
        return roundExact(v, err > 0 ? 1 : err < 0 ? -1 : 0, rm, fl);
    }

    private static int roundExact(double v, int errSign, int rm, FpFlags fl) {
        if (errSign == 0) {
            float f = (float) v;
            if (f == v) {
                return Float.floatToRawIntBits(f);  // exact, no flags even if subnormal
            }
        }
        boolean neg = v < 0;
        return (int) RoundPack.packDouble(neg, Math.abs(v), neg ? -errSign : errSign, 0, rm, fl,
                RoundPack.P32, RoundPack.EMIN32, RoundPack.EMAX32, 31);
    }

    // ------------------------------------------------------------------------------ add / sub

    /** fadd.s. */
    public static int add(int a, int b, int rm, FpFlags fl) {
        if (special(a) || special(b)) {
            return addSpecial(a, b, fl);
        }
        double x = w(a);
        double y = w(b);
        double s = x + y;
        if (s == 0) {
            // only an exact zero: a sum of floats never underflows in double
            if (rm == RDN && (a | b) < 0) {
                return SIGN;
            }
            return Float.floatToRawIntBits((float) s);
        }
        double err = Math.abs(x) >= Math.abs(y) ? y - (s - x) : x - (s - y);
        return round(s, err, rm, fl);
    }

    /** fsub.s: a + (-b), so NaN and zero-sign rules are those of the sum. */
    public static int sub(int a, int b, int rm, FpFlags fl) {
        return add(a, b ^ SIGN, rm, fl);
    }

    private static int addSpecial(int a, int b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b, fl);
        }
        if (isInf(a) && isInf(b) && ((a ^ b) & SIGN) != 0) {
            return invalid(fl);
        }
        return isInf(a) ? a : b;
    }

    // -------------------------------------------------------------------------------- multiply

    /** fmul.s. */
    public static int mul(int a, int b, int rm, FpFlags fl) {
        if (special(a) || special(b)) {
            if (isNaN(a) || isNaN(b)) {
                return nan(a, b, fl);
            }
            if (isZero(a) || isZero(b)) {
                return invalid(fl);
            }
            return ((a ^ b) & SIGN) | EXP;
        }
        double p = w(a) * w(b);                    // exact: 48 significant bits
        if (p == 0) {
            return (a ^ b) & SIGN;
        }
        return round(p, 0, rm, fl);
    }

    // -------------------------------------------------------------------------------- divide

    /** fdiv.s: DZ only for a finite nonzero dividend over zero. */
    public static int div(int a, int b, int rm, FpFlags fl) {
        int sign = (a ^ b) & SIGN;
        if (special(a) || special(b)) {
            if (isNaN(a) || isNaN(b)) {
                return nan(a, b, fl);
            }
            if (isInf(a)) {
                return isInf(b) ? invalid(fl) : sign | EXP;
            }
            return sign;                            // finite / inf
        }
        if (isZero(b)) {
            if (isZero(a)) {
                return invalid(fl);
            }
            fl.bits |= DZ;
            return sign | EXP;
        }
        if (isZero(a)) {
            return sign;
        }
        double x = w(a);
        double y = w(b);
        double q = x / y;
        double rem = Math.fma(-q, y, x);            // exact for binary32 operands
        return round(q, y > 0 ? rem : -rem, rm, fl);   // sign of x/y - q
    }

    // ---------------------------------------------------------------------------- square root

    /** fsqrt.s: sqrt(-0) = -0; any other negative operand is invalid. */
    public static int sqrt(int a, int rm, FpFlags fl) {
        if (isNaN(a)) {
            return nan(a, a, fl);
        }
        if (isZero(a)) {
            return a;
        }
        if (a < 0) {
            return invalid(fl);
        }
        if (isInf(a)) {
            return a;
        }
        double x = w(a);
        double r = Math.sqrt(x);
        double rem = Math.fma(-r, r, x);
        return round(r, rem, rm, fl);
    }

    // ----------------------------------------------------------------------- fused multiply-add

    /** fmadd.s: a*b + c with one rounding. */
    public static int fmadd(int a, int b, int c, int rm, FpFlags fl) {
        return fma(a, b, c, rm, fl);
    }

    /** fmsub.s: a*b - c with one rounding. */
    public static int fmsub(int a, int b, int c, int rm, FpFlags fl) {
        return fma(a, b, c ^ SIGN, rm, fl);
    }

    /** fnmsub.s: -(a*b) + c with one rounding. */
    public static int fnmsub(int a, int b, int c, int rm, FpFlags fl) {
        return fma(a ^ SIGN, b, c, rm, fl);
    }

    /** fnmadd.s: -(a*b) - c with one rounding. */
    public static int fnmadd(int a, int b, int c, int rm, FpFlags fl) {
        return fma(a ^ SIGN, b, c ^ SIGN, rm, fl);
    }

    private static int fma(int a, int b, int c, int rm, FpFlags fl) {
        if (special(a) || special(b) || special(c)) {
            return fmaSpecial(a, b, c, fl);
        }
        double p = w(a) * w(b);                    // exact
        double z = w(c);
        double s = p + z;
        if (s == 0) {
            // exact zero (all terms are multiples of 2^-298): IEEE sign rules for sums
            if (rm == RDN && (Double.doubleToRawLongBits(p) | c) < 0) {
                return SIGN;
            }
            return Float.floatToRawIntBits((float) s);
        }
        double err = Math.abs(p) >= Math.abs(z) ? z - (s - p) : p - (s - z);
        return round(s, err, rm, fl);
    }

    private static int fmaSpecial(int a, int b, int c, FpFlags fl) {
        boolean infTimesZero = (isInf(a) && isZero(b)) || (isZero(a) && isInf(b));
        if (isNaN(a) || isNaN(b) || isNaN(c)) {
            // RISC-V: inf*0 raises NV even when the addend is a quiet NaN.
            if (infTimesZero || isSignalingNaN(a) || isSignalingNaN(b) || isSignalingNaN(c)) {
                fl.bits |= NV;
            }
            return CANONICAL_NAN;
        }
        if (infTimesZero) {
            return invalid(fl);
        }
        int pSign = (a ^ b) & SIGN;
        if (isInf(a) || isInf(b)) {
            if (isInf(c) && (c & SIGN) != pSign) {
                return invalid(fl);
            }
            return pSign | EXP;
        }
        return c;                                   // finite product + infinite addend
    }

    // ------------------------------------------------------------------------------- min / max

    private static int orderKey(int a) {
        return a ^ ((a >> 31) >>> 1);
    }

    /** fmin.s (ISA 2.2+). */
    public static int min(int a, int b, FpFlags fl) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an | bn) {
            return minMaxNaN(a, b, an, bn, fl);
        }
        return orderKey(a) <= orderKey(b) ? a : b;
    }

    /** fmax.s (ISA 2.2+). */
    public static int max(int a, int b, FpFlags fl) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an | bn) {
            return minMaxNaN(a, b, an, bn, fl);
        }
        return orderKey(a) >= orderKey(b) ? a : b;
    }

    private static int minMaxNaN(int a, int b, boolean an, boolean bn, FpFlags fl) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            fl.bits |= NV;
        }
        if (an && bn) {
            return CANONICAL_NAN;
        }
        return an ? b : a;
    }

    // ------------------------------------------------------------------------------ compares

    /** feq.s: quiet. */
    public static int eq(int a, int b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            if (isSignalingNaN(a) || isSignalingNaN(b)) {
                fl.bits |= NV;
            }
            return 0;
        }
        return w(a) == w(b) ? 1 : 0;
    }

    /** flt.s: signaling. */
    public static int lt(int a, int b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            fl.bits |= NV;
            return 0;
        }
        return w(a) < w(b) ? 1 : 0;
    }

    /** fle.s: signaling. */
    public static int le(int a, int b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            fl.bits |= NV;
            return 0;
        }
        return w(a) <= w(b) ? 1 : 0;
    }

    /** fclass.s. */
    public static int classify(int a) {
        boolean neg = a < 0;
        int be = a & EXP;
        int frac = a & FRAC;
        if (be == EXP) {
            if (frac == 0) {
                return neg ? 1 : 1 << 7;
            }
            return (frac & QUIET) != 0 ? 1 << 9 : 1 << 8;
        }
        if (be == 0) {
            if (frac == 0) {
                return neg ? 1 << 3 : 1 << 4;
            }
            return neg ? 1 << 2 : 1 << 5;
        }
        return neg ? 1 << 1 : 1 << 6;
    }

    // --------------------------------------------------------------------- conversions to int

    /** Exact widening that keeps NaN-ness without going through the host FPU. */
    private static long widen(int a) {
        return isNaN(a) ? Fp64.CANONICAL_NAN : Double.doubleToRawLongBits(w(a));
    }

    /** fcvt.w.s: result sign-extended to 64 bits. */
    public static long toInt32(int a, int rm, FpFlags fl) {
        return FpToInt.convert(widen(a), rm, fl, FpToInt.W);
    }

    /** fcvt.wu.s: the 32-bit result sign-extended to 64 bits. */
    public static long toUint32(int a, int rm, FpFlags fl) {
        return FpToInt.convert(widen(a), rm, fl, FpToInt.WU);
    }

    /** fcvt.l.s. */
    public static long toInt64(int a, int rm, FpFlags fl) {
        return FpToInt.convert(widen(a), rm, fl, FpToInt.L);
    }

    /** fcvt.lu.s. */
    public static long toUint64(int a, int rm, FpFlags fl) {
        return FpToInt.convert(widen(a), rm, fl, FpToInt.LU);
    }

    // ------------------------------------------------------------------- conversions from int

    /** fcvt.s.w: the low 32 bits of {@code v} as a signed integer. */
    public static int fromInt32(long v, int rm, FpFlags fl) {
        return fromInt64((int) v, rm, fl);
    }

    /** fcvt.s.wu: the low 32 bits of {@code v} as an unsigned integer. */
    public static int fromUint32(long v, int rm, FpFlags fl) {
        return fromInt64(v & 0xffff_ffffL, rm, fl);
    }

    /** fcvt.s.l. */
    public static int fromInt64(long v, int rm, FpFlags fl) {
        if (v == (v << 40) >> 40) {
            return Float.floatToRawIntBits((float) v); // |v| <= 2^23: exact
        }
        if (rm == RNE) {
            float x = v;                            // the JLS long->float conversion is RNE
            if (x == 0x1p63f || (long) x != v) {
                fl.bits |= NX;
            }
            return Float.floatToRawIntBits(x);
        }
        return fromMagnitude(v < 0, v < 0 ? -v : v, rm, fl);
    }

    /** fcvt.s.lu. */
    public static int fromUint64(long v, int rm, FpFlags fl) {
        if (v >= 0) {
            return fromInt64(v, rm, fl);
        }
        return fromMagnitude(false, v, rm, fl);
    }

    private static int fromMagnitude(boolean neg, long mag, int rm, FpFlags fl) {
        if (mag < 0) {
            return RoundPack.pack32(neg, mag >>> 1, 1, (mag & 1) != 0, rm, fl);
        }
        return RoundPack.pack32(neg, mag, 0, false, rm, fl);
    }

    // -------------------------------------------------------------------- format conversions

    /** fcvt.d.s: exact; NaN becomes the canonical NaN (NV for a signaling one). */
    public static long toFp64(int a, FpFlags fl) {
        if (isNaN(a)) {
            if (isSignalingNaN(a)) {
                fl.bits |= NV;
            }
            return Fp64.CANONICAL_NAN;
        }
        return Double.doubleToRawLongBits(w(a));
    }
}
