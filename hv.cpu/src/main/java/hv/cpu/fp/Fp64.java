package hv.cpu.fp;

import static hv.cpu.fp.FpFlags.DZ;
import static hv.cpu.fp.FpFlags.NV;
import static hv.cpu.fp.FpFlags.NX;
import static hv.cpu.fp.FpFlags.OF;
import static hv.cpu.fp.RoundingMode.RDN;
import static hv.cpu.fp.RoundingMode.RMM;
import static hv.cpu.fp.RoundingMode.RNE;
import static hv.cpu.fp.RoundingMode.RTZ;
import static hv.cpu.fp.RoundingMode.RUP;

import java.math.BigInteger;

/**
 * binary64 operations of the RISC-V D extension on raw bits.
 *
 * <p>Fast path: the host computes the round-to-nearest result, an error-free transformation
 * (Fast2Sum for add, FMA for the product error and the division/square-root remainder,
 * TwoProduct against TwoSum for fused multiply-add) gives the exact sign of the rounding error, which
 * sets NX and moves the result one ulp for the directed modes. Results that may be tiny,
 * overflow, or come from operands where the error would not be representable take
 * {@link RoundPack} via an exact integer computation instead.
 */
public final class Fp64 {
    /** The canonical NaN of the D extension. */
    public static final long CANONICAL_NAN = 0x7ff8_0000_0000_0000L;
    static final long SIGN = 0x8000_0000_0000_0000L;
    static final long EXP = 0x7ff0_0000_0000_0000L;
    static final long FRAC = 0x000f_ffff_ffff_ffffL;
    static final long QUIET = 0x0008_0000_0000_0000L;
    static final long HIDDEN = 1L << 52;

    /** Results at least this large are normal even after a directed one-ulp step down. */
    private static final double SAFE_MIN = 0x1p-1021;
    /** Below this an operand's product/remainder error may not be representable. */
    private static final double ERR_MIN = 0x1p-968;

    private Fp64() {
    }

    // ---------------------------------------------------------------- classification helpers

    static boolean isNaN(long a) {
        return (a & ~SIGN) > EXP;
    }

    static boolean isSignalingNaN(long a) {
        return isNaN(a) && (a & QUIET) == 0;
    }

    private static boolean isInf(long a) {
        return (a & ~SIGN) == EXP;
    }

    private static boolean isZero(long a) {
        return (a & ~SIGN) == 0;
    }

    /** Integer significand of a finite value (hidden bit included for normals). */
    static long significand(long a) {
        long frac = a & FRAC;
        return (a & EXP) == 0 ? frac : frac | HIDDEN;
    }

    /** Exponent of the significand's lsb: value = significand * 2^lsbExponent. */
    static int lsbExponent(long a) {
        int be = (int) (a >>> 52) & 0x7ff;
        return (be == 0 ? 1 : be) - 1075;
    }

    private static double d(long a) {
        return Double.longBitsToDouble(a);
    }

    private static long bits(double x) {
        return Double.doubleToRawLongBits(x);
    }

    /** NV if any operand is a signaling NaN; returns the canonical NaN. */
    private static long nan(long a, long b, FpFlags fl) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            fl.bits |= NV;
        }
        return CANONICAL_NAN;
    }

    private static long invalid(FpFlags fl) {
        fl.bits |= NV;
        return CANONICAL_NAN;
    }

    // ------------------------------------------------------------------------ directed rounding

    /**
     * Turns the round-to-nearest result {@code r} (normal, |r| >= 2^-1021, finite) of an inexact
     * operation into the result for {@code rm}. {@code exactAbove}: exact value > r.
     * {@code tieAway}: the exact value lies halfway between r and its neighbour away from zero
     * (only consulted for RMM). NX has been set by the caller.
     */
    private static long directed(double r, boolean exactAbove, boolean tieAway, int rm, FpFlags fl) {
        long bits = bits(r);
        boolean neg = bits < 0;
        boolean errAway = exactAbove != neg;        // |exact| > |r|
        // r is finite and far from zero, so one ulp towards/away from zero is bits -/+ 1
        long step = switch (rm) {
            case RTZ -> errAway ? 0 : -1;
            case RDN -> errAway == neg ? (neg ? 1 : -1) : 0;
            case RUP -> errAway != neg ? (neg ? -1 : 1) : 0;
            case RMM -> tieAway ? 1 : 0;
            default -> 0;
        };
        long t = bits + step;
        if ((t & EXP) == EXP) {
            fl.bits |= OF;  // stepped from the largest finite number: overflow after rounding
        }
        return t;
    }

    /** For add/mul/fma: err (exact - r, computed exactly) is a tie away from zero. */
    private static boolean tieAway(double r, double err) {
        return (r > 0) == (err > 0) && Math.abs(err) * 2 == Math.ulp(r);
    }

    // ------------------------------------------------------------------------------ add / sub

    /** fadd.d. */
    public static long add(long a, long b, int rm, FpFlags fl) {
        double x = d(a);
        double y = d(b);
        double r = x + y;
        double ar = Math.abs(r);
        if (ar >= SAFE_MIN && ar <= Double.MAX_VALUE) {
            double err = Math.abs(x) >= Math.abs(y) ? y - (r - x) : x - (r - y);  // Fast2Sum
            if (err == 0) {
                return bits(r);
            }
            fl.bits |= NX;
            if (rm == RNE) {
                return bits(r);
            }
            return directed(r, err > 0, rm == RMM && tieAway(r, err), rm, fl);
        }
        return addSpecial(a, b, r, rm, fl);
    }

    /** fsub.d: a + (-b), so NaN and zero-sign rules are those of the sum. */
    public static long sub(long a, long b, int rm, FpFlags fl) {
        return add(a, b ^ SIGN, rm, fl);
    }

    private static long addSpecial(long a, long b, double r, int rm, FpFlags fl) {
        if (Double.isNaN(r)) {
            if (isNaN(a) || isNaN(b)) {
                return nan(a, b, fl);
            }
            return invalid(fl);                     // inf - inf
        }
        if (Double.isInfinite(r)) {
            if (isInf(a) || isInf(b)) {
                return bits(r);                     // exact infinity
            }
            return addExact(a, b, rm, fl);          // overflow
        }
        // |r| < 2^-1021: the exact sum is a multiple of 2^-1074 below 2^53 ulps, so exact.
        if (r == 0 && rm == RDN && (a | b) < 0) {
            return SIGN;                            // x + (-x) and +0 + -0 are -0 when rounding down
        }
        return bits(r);
    }

    /** Exact integer addition of two finite values, then one rounding (the overflow path). */
    static long addExact(long a, long b, int rm, FpFlags fl) {
        if (isZero(a) || isZero(b)) {
            if (!isZero(a) || !isZero(b)) {
                return isZero(a) ? b : a;           // x + 0 = x exactly
            }
            return rm == RDN ? a | b : a & b;       // IEEE 754 6.3 signs of zero sums
        }
        long ma = significand(a);
        long mb = significand(b);
        int ea = lsbExponent(a);
        int eb = lsbExponent(b);
        boolean na = a < 0;
        boolean nb = b < 0;
        if (ea < eb) {
            long t = ma; ma = mb; mb = t;
            int u = ea; ea = eb; eb = u;
            boolean v = na; na = nb; nb = v;
        }
        int diff = ea - eb;
        long m;
        int e;
        boolean sticky = false;
        boolean neg = na;
        if (diff <= 9) {
            long big = ma << diff;
            e = eb;
            if (na == nb) {
                m = big + mb;
            } else {
                m = big - mb;
                if (m < 0) {
                    m = -m;
                    neg = nb;
                }
            }
        } else {
            // keep 9 guard bits above the aligned smaller operand; its lost bits become sticky
            long big = ma << 9;
            e = ea - 9;
            int sh = diff - 9;
            long small = sh >= 63 ? 0 : mb >>> sh;
            sticky = sh >= 63 || (mb & ((1L << sh) - 1)) != 0;
            if (na == nb) {
                m = big + small;
            } else {
                m = big - small - (sticky ? 1 : 0);  // exact value lies in (m, m+1)
            }
        }
        if (m == 0) {
            return rm == RDN ? SIGN : 0;
        }
        return RoundPack.pack64(neg, m, e, sticky, rm, fl);
    }

    // -------------------------------------------------------------------------------- multiply

    /** fmul.d. */
    public static long mul(long a, long b, int rm, FpFlags fl) {
        double x = d(a);
        double y = d(b);
        double r = x * y;
        double ar = Math.abs(r);
        if (ar >= ERR_MIN && ar <= Double.MAX_VALUE) {
            double err = Math.fma(x, y, -r);       // exact: the product is far from underflow
            if (err == 0) {
                return bits(r);
            }
            fl.bits |= NX;
            if (rm == RNE) {
                return bits(r);
            }
            return directed(r, err > 0, rm == RMM && tieAway(r, err), rm, fl);
        }
        return mulSpecial(a, b, r, rm, fl);
    }

    private static long mulSpecial(long a, long b, double r, int rm, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b, fl);
        }
        if (Double.isNaN(r)) {
            return invalid(fl);                     // inf * 0
        }
        if (isInf(a) || isInf(b) || isZero(a) || isZero(b)) {
            return bits(r);                         // exact, sign is the xor
        }
        return mulExact(a, b, rm, fl);
    }

    /** Exact 106-bit product of two finite nonzero values, then one rounding. */
    static long mulExact(long a, long b, int rm, FpFlags fl) {
        long ma = significand(a);
        long mb = significand(b);
        int e = lsbExponent(a) + lsbExponent(b);
        long hi = Math.multiplyHigh(ma, mb);
        long lo = ma * mb;
        long m;
        boolean sticky = false;
        if (hi == 0 && lo > 0) {
            m = lo;
        } else {
            int len = hi != 0 ? 128 - Long.numberOfLeadingZeros(hi) : 64;
            int sh = len - 62;                       // 2..44: the product has at most 106 bits
            m = (hi << (64 - sh)) | (lo >>> sh);
            sticky = (lo & ((1L << sh) - 1)) != 0;
            e += sh;
        }
        return RoundPack.pack64((a ^ b) < 0, m, e, sticky, rm, fl);
    }

    // -------------------------------------------------------------------------------- divide

    /** fdiv.d: DZ only for a finite nonzero dividend over zero. */
    public static long div(long a, long b, int rm, FpFlags fl) {
        double x = d(a);
        double y = d(b);
        double r = x / y;
        double ar = Math.abs(r);
        if (ar >= SAFE_MIN && ar <= Double.MAX_VALUE && Math.abs(x) >= ERR_MIN) {
            double rem = Math.fma(-r, y, x);       // x - r*y, exact here
            if (rem == 0) {
                return bits(r);
            }
            fl.bits |= NX;
            if (rm == RNE || rm == RMM) {
                return bits(r);                     // a quotient is never a tie at 53 bits
            }
            return directed(r, (rem > 0) == (y > 0), false, rm, fl);
        }
        return divSpecial(a, b, rm, fl);
    }

    private static long divSpecial(long a, long b, int rm, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            return nan(a, b, fl);
        }
        long sign = (a ^ b) & SIGN;
        if (isInf(a)) {
            return isInf(b) ? invalid(fl) : sign | EXP;
        }
        if (isInf(b)) {
            return sign;
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
        return divExact(a, b, rm, fl);
    }

    /** Division of finite nonzero values for any magnitudes, by scaling into [1,2). */
    static long divExact(long a, long b, int rm, FpFlags fl) {
        // Scale both operands into [1,2): the quotient and its remainder are then exact doubles.
        long sign = (a ^ b) & SIGN;
        long ma = significand(a);
        long mb = significand(b);
        int la = Long.numberOfLeadingZeros(ma) - 11;
        int lb = Long.numberOfLeadingZeros(mb) - 11;
        double xs = d((1023L << 52) | ((ma << la) & FRAC));
        double ys = d((1023L << 52) | ((mb << lb) & FRAC));
        int k = (lsbExponent(a) + 52 - la) - (lsbExponent(b) + 52 - lb);
        double q = xs / ys;
        double rem = Math.fma(-q, ys, xs);
        int errSign = rem > 0 ? 1 : rem < 0 ? -1 : 0;
        return RoundPack.packDouble(sign != 0, q, errSign, k, rm, fl,
                RoundPack.P64, RoundPack.EMIN64, RoundPack.EMAX64, 63);
    }

    // ---------------------------------------------------------------------------- square root

    /** fsqrt.d: sqrt(-0) = -0; any other negative operand is invalid. */
    public static long sqrt(long a, int rm, FpFlags fl) {
        double x = d(a);
        if (x >= ERR_MIN && x <= Double.MAX_VALUE) {
            double r = Math.sqrt(x);
            double rem = Math.fma(-r, r, x);
            if (rem == 0) {
                return bits(r);
            }
            fl.bits |= NX;
            if (rm == RNE || rm == RMM) {
                return bits(r);                     // a square root is never a tie at 53 bits
            }
            return directed(r, rem > 0, false, rm, fl);
        }
        return sqrtSpecial(a, rm, fl);
    }

    private static long sqrtSpecial(long a, int rm, FpFlags fl) {
        if (isNaN(a)) {
            return nan(a, a, fl);
        }
        if (isZero(a)) {
            return a;                               // sqrt(-0) = -0
        }
        if (a < 0) {
            return invalid(fl);
        }
        if (isInf(a)) {
            return a;
        }
        // tiny positive: scale by 2^108 so the remainder is exact; the root is >= 2^-537, so
        // scaling it back by 2^-54 is exact and no flag but NX can arise.
        double xs = d(a) * 0x1p108;
        double r = Math.sqrt(xs);
        double rem = Math.fma(-r, r, xs);
        long rb = bits(r);
        if (rem != 0) {
            fl.bits |= NX;
            if (rm != RNE && rm != RMM) {
                rb = directed(r, rem > 0, false, rm, fl);
            }
        }
        return bits(d(rb) * 0x1p-54);
    }

    // ----------------------------------------------------------------------- fused multiply-add

    /** a*b + c with one rounding. */
    public static long fmadd(long a, long b, long c, int rm, FpFlags fl) {
        return fma(a, b, c, rm, fl);
    }

    /** a*b - c with one rounding. */
    public static long fmsub(long a, long b, long c, int rm, FpFlags fl) {
        return fma(a, b, c ^ SIGN, rm, fl);
    }

    /** -(a*b) + c with one rounding. */
    public static long fnmsub(long a, long b, long c, int rm, FpFlags fl) {
        return fma(a ^ SIGN, b, c, rm, fl);
    }

    /** -(a*b) - c with one rounding. */
    public static long fnmadd(long a, long b, long c, int rm, FpFlags fl) {
        return fma(a ^ SIGN, b, c ^ SIGN, rm, fl);
    }

    private static long fma(long a, long b, long c, int rm, FpFlags fl) {
        double x = d(a);
        double y = d(b);
        double z = d(c);
        double u1 = x * y;
        double au = Math.abs(u1);
        if (au >= 0x1p-900 && au <= 0x1p1000 && Math.abs(z) <= 0x1p1000) {
            double r1 = Math.fma(x, y, z);
            if (Math.abs(r1) >= SAFE_MIN) {
                // x*y = u1 + u2 (TwoProduct) and r1 - z = wh + wl (TwoSum) are both exact and
                // canonical (hi = nearest value of hi + lo), so the fused result is exact iff the
                // pairs are equal, and the pairs compare like the exact values x*y and r1 - z.
                // The bounds above keep every step clear of underflow and overflow.
                double u2 = Math.fma(x, y, -u1);
                double nz = -z;
                double wh = r1 + nz;
                double bb = wh - r1;
                double wl = (r1 - (wh - bb)) + (nz - bb);
                if (u1 == wh && u2 == wl) {
                    return bits(r1);
                }
                fl.bits |= NX;
                if (rm == RNE) {
                    return bits(r1);
                }
                if (rm != RMM) {
                    return directed(r1, u1 != wh ? u1 > wh : u2 > wl, false, rm, fl);
                }
                // RMM must know whether the error is exactly half an ulp: exact path
            } else if (r1 == 0) {
                // x*y and z are multiples of 2^-1074, so a zero nearest result is an exact
                // cancellation of nonzero terms: +0, or -0 when rounding down.
                return rm == RDN ? SIGN : 0;
            }
        }
        return fmaExact(a, b, c, rm, fl);
    }

    /** a*b + c for any operands, exactly with BigInteger, then one rounding (the rare path). */
    static long fmaExact(long a, long b, long c, int rm, FpFlags fl) {
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
        long pSign = (a ^ b) & SIGN;
        if (isInf(a) || isInf(b)) {
            if (isInf(c) && (c & SIGN) != pSign) {
                return invalid(fl);                  // inf - inf
            }
            return pSign | EXP;
        }
        if (isInf(c)) {
            return c;
        }
        if (isZero(a) || isZero(b)) {
            if (!isZero(c)) {
                return c;
            }
            if ((c & SIGN) == pSign) {
                return c;
            }
            return rm == RDN ? SIGN : 0;
        }
        // exact: P * 2^eP + C * 2^eC with arbitrary-precision integers (rare path)
        BigInteger p = BigInteger.valueOf(significand(a)).multiply(BigInteger.valueOf(significand(b)));
        int ep = lsbExponent(a) + lsbExponent(b);
        if (pSign != 0) {
            p = p.negate();
        }
        BigInteger sum;
        int e0;
        if (isZero(c)) {
            sum = p;
            e0 = ep;
        } else {
            BigInteger cm = BigInteger.valueOf(significand(c));
            if (c < 0) {
                cm = cm.negate();
            }
            int ec = lsbExponent(c);
            e0 = Math.min(ep, ec);
            sum = p.shiftLeft(ep - e0).add(cm.shiftLeft(ec - e0));
        }
        if (sum.signum() == 0) {
            return rm == RDN ? SIGN : 0;
        }
        boolean neg = sum.signum() < 0;
        BigInteger mag = sum.abs();
        int len = mag.bitLength();
        if (len <= 62) {
            return RoundPack.pack64(neg, mag.longValue(), e0, false, rm, fl);
        }
        int sh = len - 62;
        boolean sticky = mag.getLowestSetBit() < sh;
        return RoundPack.pack64(neg, mag.shiftRight(sh).longValue(), e0 + sh, sticky, rm, fl);
    }

    // ------------------------------------------------------------------------------- min / max

    /** Total order key for non-NaN values in which -0 < +0. */
    private static long orderKey(long a) {
        return a ^ ((a >> 63) >>> 1);
    }

    /** fmin.d (ISA 2.2+): a NaN operand yields the other; both NaN: canonical; sNaN: NV. */
    public static long min(long a, long b, FpFlags fl) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an | bn) {
            return minMaxNaN(a, b, an, bn, fl);
        }
        return orderKey(a) <= orderKey(b) ? a : b;
    }

    /** fmax.d (ISA 2.2+). */
    public static long max(long a, long b, FpFlags fl) {
        boolean an = isNaN(a);
        boolean bn = isNaN(b);
        if (an | bn) {
            return minMaxNaN(a, b, an, bn, fl);
        }
        return orderKey(a) >= orderKey(b) ? a : b;
    }

    private static long minMaxNaN(long a, long b, boolean an, boolean bn, FpFlags fl) {
        if (isSignalingNaN(a) || isSignalingNaN(b)) {
            fl.bits |= NV;
        }
        if (an && bn) {
            return CANONICAL_NAN;
        }
        return an ? b : a;
    }

    // ------------------------------------------------------------------------------ compares

    /** feq.d: quiet comparison (NV only for signaling NaNs). */
    public static int eq(long a, long b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            if (isSignalingNaN(a) || isSignalingNaN(b)) {
                fl.bits |= NV;
            }
            return 0;
        }
        return d(a) == d(b) ? 1 : 0;
    }

    /** flt.d: signaling comparison (NV for any NaN). */
    public static int lt(long a, long b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            fl.bits |= NV;
            return 0;
        }
        return d(a) < d(b) ? 1 : 0;
    }

    /** fle.d: signaling comparison (NV for any NaN). */
    public static int le(long a, long b, FpFlags fl) {
        if (isNaN(a) || isNaN(b)) {
            fl.bits |= NV;
            return 0;
        }
        return d(a) <= d(b) ? 1 : 0;
    }

    /** fclass.d: one-hot mask, bit 0 = -inf ... bit 7 = +inf, bit 8 = sNaN, bit 9 = qNaN. */
    public static int classify(long a) {
        boolean neg = a < 0;
        long be = a & EXP;
        long frac = a & FRAC;
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

    /** fcvt.w.d: result sign-extended to 64 bits. */
    public static long toInt32(long a, int rm, FpFlags fl) {
        return FpToInt.convert(a, rm, fl, FpToInt.W);
    }

    /** fcvt.wu.d: the 32-bit result sign-extended to 64 bits, as the instruction writes rd. */
    public static long toUint32(long a, int rm, FpFlags fl) {
        return FpToInt.convert(a, rm, fl, FpToInt.WU);
    }

    /** fcvt.l.d. */
    public static long toInt64(long a, int rm, FpFlags fl) {
        return FpToInt.convert(a, rm, fl, FpToInt.L);
    }

    /** fcvt.lu.d. */
    public static long toUint64(long a, int rm, FpFlags fl) {
        return FpToInt.convert(a, rm, fl, FpToInt.LU);
    }

    // ------------------------------------------------------------------- conversions from int

    /** fcvt.d.w: the low 32 bits of {@code v} as a signed integer (always exact). */
    public static long fromInt32(long v, int rm, FpFlags fl) {
        return bits((int) v);
    }

    /** fcvt.d.wu: the low 32 bits of {@code v} as an unsigned integer (always exact). */
    public static long fromUint32(long v, int rm, FpFlags fl) {
        return bits(v & 0xffff_ffffL);
    }

    /** fcvt.d.l. */
    public static long fromInt64(long v, int rm, FpFlags fl) {
        if (v == (v << 11) >> 11) {
            return bits(v);                         // |v| <= 2^52: exact
        }
        if (rm == RNE) {
            double x = v;                           // the JLS long->double conversion is RNE
            if (x == 0x1p63 || (long) x != v) {
                fl.bits |= NX;
            }
            return bits(x);
        }
        return fromMagnitude(v < 0, v < 0 ? -v : v, rm, fl);
    }

    /** fcvt.d.lu. */
    public static long fromUint64(long v, int rm, FpFlags fl) {
        if (v >= 0) {
            return fromInt64(v, rm, fl);
        }
        return fromMagnitude(false, v, rm, fl);
    }

    /** Rounds the unsigned 64-bit magnitude {@code mag} (nonzero). */
    private static long fromMagnitude(boolean neg, long mag, int rm, FpFlags fl) {
        if (mag < 0) {
            return RoundPack.pack64(neg, mag >>> 1, 1, (mag & 1) != 0, rm, fl);
        }
        return RoundPack.pack64(neg, mag, 0, false, rm, fl);
    }

    // -------------------------------------------------------------------- format conversions

    /** fcvt.s.d. */
    public static int toFp32(long a, int rm, FpFlags fl) {
        int sign = (int) (a >>> 32) & 0x8000_0000;
        if ((a & EXP) == EXP) {
            if (isNaN(a)) {
                if (isSignalingNaN(a)) {
                    fl.bits |= NV;
                }
                return Fp32.CANONICAL_NAN;
            }
            return sign | 0x7f80_0000;
        }
        if (isZero(a)) {
            return sign;
        }
        double x = d(a);
        float f = (float) x;
        if (f == x) {
            return Float.floatToRawIntBits(f);      // exact, including exact subnormal results
        }
        return RoundPack.pack32(a < 0, significand(a), lsbExponent(a), false, rm, fl);
    }
}
