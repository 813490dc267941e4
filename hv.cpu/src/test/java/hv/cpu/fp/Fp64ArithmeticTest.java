package hv.cpu.fp;

import static hv.cpu.fp.FpAssert.DZ;
import static hv.cpu.fp.FpAssert.MAX64;
import static hv.cpu.fp.FpAssert.MAX_SUB64;
import static hv.cpu.fp.FpAssert.MIN_NORMAL64;
import static hv.cpu.fp.FpAssert.MIN_SUB64;
import static hv.cpu.fp.FpAssert.NEG_QNAN_PAYLOAD64;
import static hv.cpu.fp.FpAssert.NINF64;
import static hv.cpu.fp.FpAssert.NONE;
import static hv.cpu.fp.FpAssert.NV;
import static hv.cpu.fp.FpAssert.NX;
import static hv.cpu.fp.FpAssert.NZERO64;
import static hv.cpu.fp.FpAssert.OF;
import static hv.cpu.fp.FpAssert.PINF64;
import static hv.cpu.fp.FpAssert.PZERO64;
import static hv.cpu.fp.FpAssert.QNAN64;
import static hv.cpu.fp.FpAssert.RDN;
import static hv.cpu.fp.FpAssert.RMM;
import static hv.cpu.fp.FpAssert.RNE;
import static hv.cpu.fp.FpAssert.RTZ;
import static hv.cpu.fp.FpAssert.RUP;
import static hv.cpu.fp.FpAssert.SNAN64;
import static hv.cpu.fp.FpAssert.UF;
import static hv.cpu.fp.FpAssert.b;
import static hv.cpu.fp.FpAssert.expect64;
import static hv.cpu.fp.FpAssert.rmName;

import org.junit.jupiter.api.Test;

/**
 * Hand-derived binary64 vectors: for each operation the results in all five rounding modes
 * with the exact fflags, around ties, the overflow threshold, the subnormal range and the
 * tininess-after-rounding boundary, plus every special-operand rule of the D extension.
 */
class Fp64ArithmeticTest {
    private static final long ONE = b(1.0);
    private static final long ONE_PLUS = 0x3ff0_0000_0000_0001L;   // 1 + 2^-52
    private static final long ONE_MINUS = 0x3fef_ffff_ffff_ffffL;  // 1 - 2^-53
    private static final long NEG = 0x8000_0000_0000_0000L;

    @FunctionalInterface
    interface Op {
        long apply(int rm, FpFlags fl);
    }

    /** Expected results in the order RNE, RTZ, RDN, RUP, RMM, all with the same flags. */
    private static void modes(String what, Op op, int flags, long rne, long rtz, long rdn, long rup, long rmm) {
        modes(what, op, new int[] {flags, flags, flags, flags, flags}, rne, rtz, rdn, rup, rmm);
    }

    private static void modes(String what, Op op, int[] flags, long rne, long rtz, long rdn, long rup, long rmm) {
        long[] want = {rne, rtz, rdn, rup, rmm};
        for (int rm = 0; rm < 5; rm++) {
            int mode = rm;
            expect64(what + " " + rmName(rm), want[rm], flags[rm], fl -> op.apply(mode, fl));
        }
    }

    private static void all(String what, Op op, long result, int flags) {
        modes(what, op, flags, result, result, result, result, result);
    }

    // ---------------------------------------------------------------------------------- add

    @Test
    void addRoundsTiesAndDirections() {
        long halfUlp = b(0x1p-53);
        modes("1 + 2^-53 (tie)", (rm, f) -> Fp64.add(ONE, halfUlp, rm, f), NX, ONE, ONE, ONE, ONE_PLUS, ONE_PLUS);
        modes("1 + 1.5*2^-53", (rm, f) -> Fp64.add(ONE, b(0x1.8p-53), rm, f), NX, ONE_PLUS, ONE, ONE, ONE_PLUS, ONE_PLUS);
        modes("-1 - 2^-53 (tie)", (rm, f) -> Fp64.add(ONE | NEG, halfUlp | NEG, rm, f), NX,
                ONE | NEG, ONE | NEG, ONE_PLUS | NEG, ONE | NEG, ONE_PLUS | NEG);
        // below a power of two the spacing halves: 1 - 2^-54 is a tie between 1-2^-53 and 1
        modes("1 - 2^-54 (tie below 1)", (rm, f) -> Fp64.add(ONE, b(-0x1p-54), rm, f), NX,
                ONE, ONE_MINUS, ONE_MINUS, ONE, ONE);
        modes("1 - 0.75*2^-54", (rm, f) -> Fp64.add(ONE, b(-0x1.8p-55), rm, f), NX,
                ONE, ONE_MINUS, ONE_MINUS, ONE, ONE);
        all("1 - 2^-53 exact", (rm, f) -> Fp64.sub(ONE, halfUlp, rm, f), ONE_MINUS, NONE);
    }

    @Test
    void addOverflowFollowsTheRoundingDirection() {
        modes("MAX + MAX", (rm, f) -> Fp64.add(MAX64, MAX64, rm, f), OF | NX, PINF64, MAX64, MAX64, PINF64, PINF64);
        modes("-MAX - MAX", (rm, f) -> Fp64.add(MAX64 | NEG, MAX64 | NEG, rm, f), OF | NX,
                NINF64, MAX64 | NEG, NINF64, MAX64 | NEG, NINF64);
        // MAX + ulp/2 is a tie whose unbounded rounding is 2^1024 (overflow) for RNE/RMM/RUP,
        // but MAX for RTZ/RDN: those must not raise OF.
        modes("MAX + 2^970", (rm, f) -> Fp64.add(MAX64, b(0x1p970), rm, f),
                new int[] {OF | NX, NX, NX, OF | NX, OF | NX}, PINF64, MAX64, MAX64, PINF64, PINF64);
        modes("MAX + 2^969", (rm, f) -> Fp64.add(MAX64, b(0x1p969), rm, f),
                new int[] {NX, NX, NX, OF | NX, NX}, MAX64, MAX64, MAX64, PINF64, MAX64);
    }

    @Test
    void addZeroSigns() {
        modes("1 + -1", (rm, f) -> Fp64.add(ONE, ONE | NEG, rm, f), NONE, PZERO64, PZERO64, NZERO64, PZERO64, PZERO64);
        all("-0 + -0", (rm, f) -> Fp64.add(NZERO64, NZERO64, rm, f), NZERO64, NONE);
        modes("+0 + -0", (rm, f) -> Fp64.add(PZERO64, NZERO64, rm, f), NONE, PZERO64, PZERO64, NZERO64, PZERO64, PZERO64);
        modes("+0 - +0", (rm, f) -> Fp64.sub(PZERO64, PZERO64, rm, f), NONE, PZERO64, PZERO64, NZERO64, PZERO64, PZERO64);
        all("-0 + 1", (rm, f) -> Fp64.add(NZERO64, ONE, rm, f), ONE, NONE);
    }

    @Test
    void addSpecialsAndSubnormals() {
        all("inf - inf", (rm, f) -> Fp64.add(PINF64, NINF64, rm, f), QNAN64, NV);
        all("inf + 1", (rm, f) -> Fp64.add(PINF64, ONE, rm, f), PINF64, NONE);
        all("-inf + MAX", (rm, f) -> Fp64.add(NINF64, MAX64, rm, f), NINF64, NONE);
        all("sNaN + 1", (rm, f) -> Fp64.add(SNAN64, ONE, rm, f), QNAN64, NV);
        all("1 + -qNaN(payload)", (rm, f) -> Fp64.add(ONE, NEG_QNAN_PAYLOAD64, rm, f), QNAN64, NONE);
        all("qNaN + sNaN", (rm, f) -> Fp64.add(QNAN64, SNAN64, rm, f), QNAN64, NV);
        all("qNaN + inf", (rm, f) -> Fp64.add(QNAN64, PINF64, rm, f), QNAN64, NONE);
        all("minsub + minsub", (rm, f) -> Fp64.add(MIN_SUB64, MIN_SUB64, rm, f), 2L, NONE);
        all("minnormal - minsub", (rm, f) -> Fp64.sub(MIN_NORMAL64, MIN_SUB64, rm, f), MAX_SUB64, NONE);
        all("maxsub + minsub", (rm, f) -> Fp64.add(MAX_SUB64, MIN_SUB64, rm, f), MIN_NORMAL64, NONE);
        modes("1 + minsub", (rm, f) -> Fp64.add(ONE, MIN_SUB64, rm, f), NX, ONE, ONE, ONE, ONE_PLUS, ONE);
        modes("-1 + minsub", (rm, f) -> Fp64.add(ONE | NEG, MIN_SUB64, rm, f), NX,
                ONE | NEG, ONE_MINUS | NEG, ONE | NEG, ONE_MINUS | NEG, ONE | NEG);
    }

    // ----------------------------------------------------------------------------- multiply

    @Test
    void mulRoundsTiesAndDirections() {
        long onePlus = ONE_PLUS;
        // (1+2^-52)^2 = 1 + 2^-51 + 2^-104
        modes("(1+u)^2", (rm, f) -> Fp64.mul(onePlus, onePlus, rm, f), NX,
                0x3ff0_0000_0000_0002L, 0x3ff0_0000_0000_0002L, 0x3ff0_0000_0000_0002L,
                0x3ff0_0000_0000_0003L, 0x3ff0_0000_0000_0002L);
        // 1.5 * (1+2^-52) = 1.5 + 3*2^-53: tie, even is upwards
        modes("1.5*(1+u)", (rm, f) -> Fp64.mul(b(1.5), onePlus, rm, f), NX,
                0x3ff8_0000_0000_0002L, 0x3ff8_0000_0000_0001L, 0x3ff8_0000_0000_0001L,
                0x3ff8_0000_0000_0002L, 0x3ff8_0000_0000_0002L);
        // 1.5 * (1+3*2^-52) = 1.5 + 9*2^-53: tie, even is downwards; RMM goes away from zero
        modes("1.5*(1+3u)", (rm, f) -> Fp64.mul(b(1.5), 0x3ff0_0000_0000_0003L, rm, f), NX,
                0x3ff8_0000_0000_0004L, 0x3ff8_0000_0000_0004L, 0x3ff8_0000_0000_0004L,
                0x3ff8_0000_0000_0005L, 0x3ff8_0000_0000_0005L);
        modes("-1.5*(1+3u)", (rm, f) -> Fp64.mul(b(-1.5), 0x3ff0_0000_0000_0003L, rm, f), NX,
                0xbff8_0000_0000_0004L, 0xbff8_0000_0000_0004L, 0xbff8_0000_0000_0005L,
                0xbff8_0000_0000_0004L, 0xbff8_0000_0000_0005L);
    }

    @Test
    void mulUnderflowIsDetectedAfterRounding() {
        all("minnormal * 0.5 exact subnormal", (rm, f) -> Fp64.mul(MIN_NORMAL64, b(0.5), rm, f), 0x0008_0000_0000_0000L, NONE);
        modes("minsub * 0.5", (rm, f) -> Fp64.mul(MIN_SUB64, b(0.5), rm, f), UF | NX,
                PZERO64, PZERO64, PZERO64, MIN_SUB64, MIN_SUB64);
        modes("-minsub * 0.5", (rm, f) -> Fp64.mul(MIN_SUB64 | NEG, b(0.5), rm, f), UF | NX,
                NZERO64, NZERO64, MIN_SUB64 | NEG, NZERO64, MIN_SUB64 | NEG);
        // 2^-1022 - 2^-1075 has 53 bits: tiny even after (unbounded) rounding, in every mode.
        modes("(1-2^-53) * minnormal", (rm, f) -> Fp64.mul(ONE_MINUS, MIN_NORMAL64, rm, f), UF | NX,
                MIN_NORMAL64, MAX_SUB64, MAX_SUB64, MIN_NORMAL64, MIN_NORMAL64);
        // 2^-1022 - 2^-1076 = (1 - 2^-27) * (2^-1022 + 2^-1049): at 53 bits it rounds to 2^-1022
        // (not tiny, no UF) except when rounding towards zero.
        long x = b(1 - 0x1p-27);
        long y = b(0x1p-1022 + 0x1p-1049);
        modes("2^-1022 - 2^-1076", (rm, f) -> Fp64.mul(x, y, rm, f),
                new int[] {NX, UF | NX, UF | NX, NX, NX},
                MIN_NORMAL64, MAX_SUB64, MAX_SUB64, MIN_NORMAL64, MIN_NORMAL64);
    }

    @Test
    void mulOverflowAndSpecials() {
        long big = b(0x1p1023);
        modes("2^1023 * 2", (rm, f) -> Fp64.mul(big, b(2), rm, f), OF | NX, PINF64, MAX64, MAX64, PINF64, PINF64);
        modes("2^1023 * -2", (rm, f) -> Fp64.mul(big, b(-2), rm, f), OF | NX,
                NINF64, MAX64 | NEG, NINF64, MAX64 | NEG, NINF64);
        all("inf * 0", (rm, f) -> Fp64.mul(PINF64, NZERO64, rm, f), QNAN64, NV);
        all("-inf * -2", (rm, f) -> Fp64.mul(NINF64, b(-2), rm, f), PINF64, NONE);
        all("0 * -5", (rm, f) -> Fp64.mul(PZERO64, b(-5), rm, f), NZERO64, NONE);
        all("-0 * -0", (rm, f) -> Fp64.mul(NZERO64, NZERO64, rm, f), PZERO64, NONE);
        all("sNaN * 0", (rm, f) -> Fp64.mul(SNAN64, PZERO64, rm, f), QNAN64, NV);
        all("qNaN * inf", (rm, f) -> Fp64.mul(QNAN64, PINF64, rm, f), QNAN64, NONE);
    }

    // ------------------------------------------------------------------------------- divide

    @Test
    void divRoundsEveryDirection() {
        long third = 0x3fd5_5555_5555_5555L;   // below 1/3
        modes("1/3", (rm, f) -> Fp64.div(ONE, b(3), rm, f), NX, third, third, third, third + 1, third);
        modes("-1/3", (rm, f) -> Fp64.div(ONE | NEG, b(3), rm, f), NX,
                third | NEG, third | NEG, (third + 1) | NEG, third | NEG, third | NEG);
        modes("1/-3", (rm, f) -> Fp64.div(ONE, b(-3), rm, f), NX,
                third | NEG, third | NEG, (third + 1) | NEG, third | NEG, third | NEG);
        all("6/3", (rm, f) -> Fp64.div(b(6), b(3), rm, f), b(2), NONE);
        all("minnormal/2", (rm, f) -> Fp64.div(MIN_NORMAL64, b(2), rm, f), 0x0008_0000_0000_0000L, NONE);
        // 1/MAX is slightly above 2^-1024, a subnormal
        modes("1/MAX", (rm, f) -> Fp64.div(ONE, MAX64, rm, f), UF | NX,
                0x0004_0000_0000_0000L, 0x0004_0000_0000_0000L, 0x0004_0000_0000_0000L,
                0x0004_0000_0000_0001L, 0x0004_0000_0000_0000L);
        modes("minsub/2", (rm, f) -> Fp64.div(MIN_SUB64, b(2), rm, f), UF | NX,
                PZERO64, PZERO64, PZERO64, MIN_SUB64, MIN_SUB64);
        modes("MAX/0.5", (rm, f) -> Fp64.div(MAX64, b(0.5), rm, f), OF | NX, PINF64, MAX64, MAX64, PINF64, PINF64);
    }

    @Test
    void divSpecials() {
        all("1/0", (rm, f) -> Fp64.div(ONE, PZERO64, rm, f), PINF64, DZ);
        all("-1/+0", (rm, f) -> Fp64.div(ONE | NEG, PZERO64, rm, f), NINF64, DZ);
        all("1/-0", (rm, f) -> Fp64.div(ONE, NZERO64, rm, f), NINF64, DZ);
        all("minsub/0", (rm, f) -> Fp64.div(MIN_SUB64, PZERO64, rm, f), PINF64, DZ);
        all("inf/0 (no DZ)", (rm, f) -> Fp64.div(PINF64, PZERO64, rm, f), PINF64, NONE);
        all("0/0", (rm, f) -> Fp64.div(PZERO64, NZERO64, rm, f), QNAN64, NV);
        all("inf/-inf", (rm, f) -> Fp64.div(PINF64, NINF64, rm, f), QNAN64, NV);
        all("0/-5", (rm, f) -> Fp64.div(PZERO64, b(-5), rm, f), NZERO64, NONE);
        all("5/-inf", (rm, f) -> Fp64.div(b(5), NINF64, rm, f), NZERO64, NONE);
        all("qNaN/0", (rm, f) -> Fp64.div(QNAN64, PZERO64, rm, f), QNAN64, NONE);
        all("1/sNaN", (rm, f) -> Fp64.div(ONE, SNAN64, rm, f), QNAN64, NV);
    }

    // -------------------------------------------------------------------------- square root

    @Test
    void sqrtRoundsEveryDirection() {
        long r2 = 0x3ff6_a09e_667f_3bcdL;      // above sqrt(2)
        modes("sqrt 2", (rm, f) -> Fp64.sqrt(b(2), rm, f), NX, r2, r2 - 1, r2 - 1, r2, r2);
        all("sqrt 4", (rm, f) -> Fp64.sqrt(b(4), rm, f), b(2), NONE);
        all("sqrt minsub", (rm, f) -> Fp64.sqrt(MIN_SUB64, rm, f), b(0x1p-537), NONE);
        long r2tiny = b(Double.longBitsToDouble(r2) * 0x1p-537);
        modes("sqrt 2*minsub", (rm, f) -> Fp64.sqrt(2L, rm, f), NX, r2tiny, r2tiny - 1, r2tiny - 1, r2tiny, r2tiny);
    }

    @Test
    void sqrtSpecials() {
        all("sqrt -0", (rm, f) -> Fp64.sqrt(NZERO64, rm, f), NZERO64, NONE);
        all("sqrt +0", (rm, f) -> Fp64.sqrt(PZERO64, rm, f), PZERO64, NONE);
        all("sqrt -1", (rm, f) -> Fp64.sqrt(ONE | NEG, rm, f), QNAN64, NV);
        all("sqrt -minsub", (rm, f) -> Fp64.sqrt(MIN_SUB64 | NEG, rm, f), QNAN64, NV);
        all("sqrt -inf", (rm, f) -> Fp64.sqrt(NINF64, rm, f), QNAN64, NV);
        all("sqrt inf", (rm, f) -> Fp64.sqrt(PINF64, rm, f), PINF64, NONE);
        all("sqrt sNaN", (rm, f) -> Fp64.sqrt(SNAN64, rm, f), QNAN64, NV);
        all("sqrt -qNaN", (rm, f) -> Fp64.sqrt(NEG_QNAN_PAYLOAD64, rm, f), QNAN64, NONE);
    }

    // --------------------------------------------------------------------- fused multiply-add

    @Test
    void fmaRoundsOnce() {
        long a = b(1 + 0x1p-27);
        long c = b(1 - 0x1p-27);
        // a*c = 1 - 2^-54 exactly: the fused result keeps it, a separate product would not
        all("(1+2^-27)(1-2^-27) - 1", (rm, f) -> Fp64.fmadd(a, c, ONE | NEG, rm, f), b(-0x1p-54), NONE);
        modes("(1+2^-27)(1-2^-27) + 0", (rm, f) -> Fp64.fmadd(a, c, PZERO64, rm, f), NX,
                ONE, ONE_MINUS, ONE_MINUS, ONE, ONE);
        // (1+2^-52)^2 - 1 = 2^-51 + 2^-104: a tie at 2^-51's precision
        long t = b(0x1p-51);
        modes("(1+u)^2 - 1", (rm, f) -> Fp64.fmsub(ONE_PLUS, ONE_PLUS, ONE, rm, f), NX, t, t, t, t + 1, t + 1);
        all("MAX*2 - MAX (no intermediate overflow)", (rm, f) -> Fp64.fmadd(MAX64, b(2), MAX64 | NEG, rm, f), MAX64, NONE);
        modes("2^-600 * 2^-600 + 1", (rm, f) -> Fp64.fmadd(b(0x1p-600), b(0x1p-600), ONE, rm, f), NX,
                ONE, ONE, ONE, ONE_PLUS, ONE);
        modes("-(2^-600 * 2^-600) + 1", (rm, f) -> Fp64.fnmsub(b(0x1p-600), b(0x1p-600), ONE, rm, f), NX,
                ONE, ONE_MINUS, ONE_MINUS, ONE, ONE);
        modes("MAX*2 + 0", (rm, f) -> Fp64.fmadd(MAX64, b(2), PZERO64, rm, f), OF | NX, PINF64, MAX64, MAX64, PINF64, PINF64);
        modes("minsub*0.5 + 0", (rm, f) -> Fp64.fmadd(MIN_SUB64, b(0.5), NZERO64, rm, f), UF | NX,
                PZERO64, PZERO64, PZERO64, MIN_SUB64, MIN_SUB64);
        all("minnormal*0.5 - 0", (rm, f) -> Fp64.fmsub(MIN_NORMAL64, b(0.5), PZERO64, rm, f), 0x0008_0000_0000_0000L, NONE);
    }

    @Test
    void fmaSignVariantsAndZeros() {
        all("fmadd 1*2+3", (rm, f) -> Fp64.fmadd(ONE, b(2), b(3), rm, f), b(5), NONE);
        all("fmsub 1*2-3", (rm, f) -> Fp64.fmsub(ONE, b(2), b(3), rm, f), b(-1), NONE);
        all("fnmsub -(1*2)+3", (rm, f) -> Fp64.fnmsub(ONE, b(2), b(3), rm, f), b(1), NONE);
        all("fnmadd -(1*2)-3", (rm, f) -> Fp64.fnmadd(ONE, b(2), b(3), rm, f), b(-5), NONE);
        modes("1*-0 + 0", (rm, f) -> Fp64.fmadd(ONE, NZERO64, PZERO64, rm, f), NONE, PZERO64, PZERO64, NZERO64, PZERO64, PZERO64);
        all("-1*0 - 0", (rm, f) -> Fp64.fmsub(ONE | NEG, PZERO64, PZERO64, rm, f), NZERO64, NONE);
        all("fnmadd 1*0 + 0 = -0", (rm, f) -> Fp64.fnmadd(ONE, PZERO64, PZERO64, rm, f), NZERO64, NONE);
        modes("1*1 - 1", (rm, f) -> Fp64.fmsub(ONE, ONE, ONE, rm, f), NONE, PZERO64, PZERO64, NZERO64, PZERO64, PZERO64);
        all("0*5 + minsub", (rm, f) -> Fp64.fmadd(PZERO64, b(5), MIN_SUB64, rm, f), MIN_SUB64, NONE);
    }

    @Test
    void fmaInvalidRules() {
        // RISC-V: inf*0 raises NV even when the addend is a quiet NaN
        all("inf*0 + qNaN", (rm, f) -> Fp64.fmadd(PINF64, PZERO64, QNAN64, rm, f), QNAN64, NV);
        all("0*inf + 1", (rm, f) -> Fp64.fmadd(NZERO64, PINF64, ONE, rm, f), QNAN64, NV);
        all("qNaN*1 + 1", (rm, f) -> Fp64.fmadd(QNAN64, ONE, ONE, rm, f), QNAN64, NONE);
        all("1*1 + sNaN", (rm, f) -> Fp64.fmadd(ONE, ONE, SNAN64, rm, f), QNAN64, NV);
        all("inf*1 - inf", (rm, f) -> Fp64.fmadd(PINF64, ONE, NINF64, rm, f), QNAN64, NV);
        all("fmsub inf*1 - inf", (rm, f) -> Fp64.fmsub(PINF64, ONE, PINF64, rm, f), QNAN64, NV);
        all("inf*2 + inf", (rm, f) -> Fp64.fmadd(PINF64, b(2), PINF64, rm, f), PINF64, NONE);
        all("fnmadd inf*2 + inf", (rm, f) -> Fp64.fnmadd(PINF64, b(2), NINF64, rm, f), QNAN64, NV);
        all("1*1 - inf", (rm, f) -> Fp64.fmadd(ONE, ONE, NINF64, rm, f), NINF64, NONE);
        all("MAX*MAX - inf", (rm, f) -> Fp64.fmadd(MAX64, MAX64, NINF64, rm, f), NINF64, NONE);
    }
}
