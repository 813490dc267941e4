package hv.cpu.fp;

import static hv.cpu.fp.FpFlags.NX;
import static hv.cpu.fp.FpFlags.OF;
import static hv.cpu.fp.FpFlags.UF;
import static hv.cpu.fp.RoundingMode.RDN;
import static hv.cpu.fp.RoundingMode.RMM;
import static hv.cpu.fp.RoundingMode.RTZ;
import static hv.cpu.fp.RoundingMode.RUP;

/**
 * The one exact rounding step every hard case ends in: it takes a nonzero real value given
 * as an integer significand, a binary exponent and a sticky bit, and produces the encoded
 * binary32/binary64 result for a rounding mode together with NX/UF/OF.
 *
 * <p>Rules implemented (IEEE 754-2008 sections 4.3, 7.4, 7.5; RISC-V "F" chapter): overflow
 * when the result rounded with an unbounded exponent exceeds the largest finite number, the
 * delivered value then being infinity or the largest finite number by rounding direction;
 * underflow when the result is tiny <em>after</em> rounding (RISC-V's choice) and inexact.
 * Allocation-free; integer arithmetic only.
 */
final class RoundPack {
    static final int P64 = 53;
    static final int EMIN64 = -1022;
    static final int EMAX64 = 1023;
    static final int P32 = 24;
    static final int EMIN32 = -126;
    static final int EMAX32 = 127;

    private RoundPack() {
    }

    /** {@link #pack} for binary64. */
    static long pack64(boolean neg, long m, int e, boolean sticky, int rm, FpFlags fl) {
        return pack(neg, m, e, sticky, rm, fl, P64, EMIN64, EMAX64, 63);
    }

    /** {@link #pack} for binary32. */
    static int pack32(boolean neg, long m, int e, boolean sticky, int rm, FpFlags fl) {
        return (int) pack(neg, m, e, sticky, rm, fl, P32, EMIN32, EMAX32, 31);
    }

    /**
     * Rounds the magnitude {@code (m + s) * 2^e} (where {@code s} is 0 if {@code !sticky}, else
     * some unknown value strictly between 0 and 1) to precision {@code p}.
     *
     * <p>Preconditions: {@code 0 < m < 2^63}; if {@code sticky}, m has at least {@code p + 1}
     * significant bits, so the bit that decides round-to-nearest is a known bit of m.
     */
    static long pack(boolean neg, long m, int e, boolean sticky, int rm, FpFlags fl,
                     int p, int emin, int emax, int signBit) {
        int top = e + 63 - Long.numberOfLeadingZeros(m);   // exponent of the leading 1
        if (top > emax) {
            fl.bits |= OF | NX;                             // beyond any rounding's reach
            long inf = (long) (emax - emin + 2) << (p - 1);
            long bits = overflowsToInfinity(rm, neg) ? inf : inf - 1;
            return neg ? bits | (1L << signBit) : bits;
        }
        int expo = top < emin ? emin : top;                 // subnormal results keep emin
        int shift = expo - (p - 1) - e;                     // bits of m below the result's lsb
        long q;
        boolean half;
        boolean rest;
        if (shift <= 0) {
            q = m << -shift;
            half = false;
            rest = sticky;
        } else if (shift < 64) {
            q = m >>> shift;
            half = ((m >>> (shift - 1)) & 1) != 0;
            rest = sticky || (m & ((1L << (shift - 1)) - 1)) != 0;
        } else {
            q = 0;
            half = false;
            rest = true;
        }
        boolean inexact = half | rest;
        if (inexact && roundsUp(rm, neg, q, half, rest)) {
            q++;
        }
        // (expo - emin) << (p-1) plus a q in [2^(p-1), 2^p] yields biased exponent and fraction,
        // including the carry of a rounding that overflows the significand; subnormal q < 2^(p-1)
        // land in exponent field 0 and a rounded-up subnormal becomes the smallest normal.
        long bits = ((long) (expo - emin) << (p - 1)) + q;
        long inf = (long) (emax - emin + 2) << (p - 1);    // all-ones exponent field
        int f = 0;
        if (bits >= inf) {
            f = OF | NX;
            bits = overflowsToInfinity(rm, neg) ? inf : inf - 1;
        } else if (inexact) {
            f = NX;
            if (top < emin && tinyAfterRounding(neg, m, shift - 1, sticky, rm, p, top == emin - 1)) {
                f |= UF;
            }
        }
        fl.bits |= f;
        return neg ? bits | (1L << signBit) : bits;
    }

    /**
     * Tininess after rounding: whether the value, rounded to p bits as if the exponent range
     * were unbounded, is below 2^emin. Only a value whose leading bit is at emin-1 can round
     * up to 2^emin; {@code shiftU} is the number of bits dropped by that unbounded rounding.
     */
    private static boolean tinyAfterRounding(boolean neg, long m, int shiftU, boolean sticky, int rm,
                                             int p, boolean justBelowMinNormal) {
        if (!justBelowMinNormal || shiftU <= 0) {
            return true;
        }
        long q = m >>> shiftU;
        boolean half = ((m >>> (shiftU - 1)) & 1) != 0;
        boolean rest = sticky || (m & ((1L << (shiftU - 1)) - 1)) != 0;
        if ((half | rest) && roundsUp(rm, neg, q, half, rest)) {
            q++;
        }
        return q < (1L << p);
    }

    /** Whether an inexact magnitude truncated to {@code q} must be incremented. */
    static boolean roundsUp(int rm, boolean neg, long q, boolean half, boolean rest) {
        return switch (rm) {
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            case RMM -> half;
            default -> half && (rest || (q & 1) != 0);
        };
    }

    /** Overflowed results: infinity when rounding away from zero or to nearest, else max finite. */
    static boolean overflowsToInfinity(int rm, boolean neg) {
        return switch (rm) {
            case RTZ -> false;
            case RDN -> neg;
            case RUP -> !neg;
            default -> true;
        };
    }

    /**
     * Rounds {@code (mag + err) * 2^k} where {@code mag} is a positive normal double that is the
     * round-to-nearest value of the exact magnitude and {@code errSign} is the sign of
     * {@code exact - mag} (0 if exact). The exact value must not lie exactly halfway between
     * {@code mag} and a neighbouring double unless the target precision is below 53 bits
     * (division and square root never produce such ties; binary32 targets don't care).
     */
    static long packDouble(boolean neg, double mag, int errSign, int k, int rm, FpFlags fl,
                           int p, int emin, int emax, int signBit) {
        long b = Double.doubleToRawLongBits(mag);
        long m = (b & 0x000f_ffff_ffff_ffffL) | (1L << 52);
        int e = (int) (b >>> 52) - 1075 + k;
        if (errSign == 0) {
            return pack(neg, m, e, false, rm, fl, p, emin, emax, signBit);
        }
        if (errSign > 0) {
            // exact in (m, m + 1/2) ulps: (2m + s) * 2^(e-1)
            return pack(neg, m << 1, e - 1, true, rm, fl, p, emin, emax, signBit);
        }
        if (m == 1L << 52) {
            // below a power of two the spacing halves: exact in (m - 1/4, m) ulps
            return pack(neg, (m << 2) - 1, e - 2, true, rm, fl, p, emin, emax, signBit);
        }
        return pack(neg, (m << 1) - 1, e - 1, true, rm, fl, p, emin, emax, signBit);
    }
}
