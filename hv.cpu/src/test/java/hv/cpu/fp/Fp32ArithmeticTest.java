package hv.cpu.fp;

import static hv.cpu.fp.FpAssert.DZ;
import static hv.cpu.fp.FpAssert.MAX32;
import static hv.cpu.fp.FpAssert.MAX_SUB32;
import static hv.cpu.fp.FpAssert.MIN_NORMAL32;
import static hv.cpu.fp.FpAssert.NINF32;
import static hv.cpu.fp.FpAssert.NONE;
import static hv.cpu.fp.FpAssert.NV;
import static hv.cpu.fp.FpAssert.NX;
import static hv.cpu.fp.FpAssert.NZERO32;
import static hv.cpu.fp.FpAssert.OF;
import static hv.cpu.fp.FpAssert.PINF32;
import static hv.cpu.fp.FpAssert.QNAN32;
import static hv.cpu.fp.FpAssert.SNAN32;
import static hv.cpu.fp.FpAssert.UF;
import static hv.cpu.fp.FpAssert.expect32;
import static hv.cpu.fp.FpAssert.f;
import static hv.cpu.fp.FpAssert.rmName;

import org.junit.jupiter.api.Test;

/**
 * Hand-derived binary32 vectors in all rounding modes, including the cases where computing in
 * double and casting to float would round twice.
 */
class Fp32ArithmeticTest {
    private static final int ONE = 0x3f80_0000;
    private static final int ONE_PLUS = 0x3f80_0001;
    private static final int ONE_MINUS = 0x3f7f_ffff;
    private static final int NEG = 0x8000_0000;
    private static final int PZERO = 0;

    @FunctionalInterface
    interface Op {
        int apply(int rm, FpFlags fl);
    }

    private static void modes(String what, Op op, int flags, int rne, int rtz, int rdn, int rup, int rmm) {
        modes(what, op, new int[] {flags, flags, flags, flags, flags}, rne, rtz, rdn, rup, rmm);
    }

    private static void modes(String what, Op op, int[] flags, int rne, int rtz, int rdn, int rup, int rmm) {
        int[] want = {rne, rtz, rdn, rup, rmm};
        for (int rm = 0; rm < 5; rm++) {
            int mode = rm;
            expect32(what + " " + rmName(rm), want[rm], flags[rm], fl -> op.apply(mode, fl));
        }
    }

    private static void all(String what, Op op, int result, int flags) {
        modes(what, op, flags, result, result, result, result, result);
    }

    @Test
    void addSub() {
        modes("1 + 2^-24 (tie)", (rm, fl) -> Fp32.add(ONE, f(0x1p-24f), rm, fl), NX, ONE, ONE, ONE, ONE_PLUS, ONE_PLUS);
        modes("1 - 2^-25 (tie below 1)", (rm, fl) -> Fp32.sub(ONE, f(0x1p-25f), rm, fl), NX,
                ONE, ONE_MINUS, ONE_MINUS, ONE, ONE);
        modes("-1 - 2^-24", (rm, fl) -> Fp32.sub(ONE | NEG, f(0x1p-24f), rm, fl), NX,
                ONE | NEG, ONE | NEG, ONE_PLUS | NEG, ONE | NEG, ONE_PLUS | NEG);
        modes("MAX + MAX", (rm, fl) -> Fp32.add(MAX32, MAX32, rm, fl), OF | NX, PINF32, MAX32, MAX32, PINF32, PINF32);
        modes("MAX + 2^103 (tie at the top)", (rm, fl) -> Fp32.add(MAX32, f(0x1p103f), rm, fl),
                new int[] {OF | NX, NX, NX, OF | NX, OF | NX}, PINF32, MAX32, MAX32, PINF32, PINF32);
        modes("1 - 1", (rm, fl) -> Fp32.sub(ONE, ONE, rm, fl), NONE, PZERO, PZERO, NZERO32, PZERO, PZERO);
        all("-0 + -0", (rm, fl) -> Fp32.add(NZERO32, NZERO32, rm, fl), NZERO32, NONE);
        all("inf - inf", (rm, fl) -> Fp32.sub(PINF32, PINF32, rm, fl), QNAN32, NV);
        all("sNaN + 0", (rm, fl) -> Fp32.add(SNAN32, PZERO, rm, fl), QNAN32, NV);
        all("1 + -qNaN", (rm, fl) -> Fp32.add(ONE, 0xffc0_1234, rm, fl), QNAN32, NONE);
        all("-inf + 1", (rm, fl) -> Fp32.add(NINF32, ONE, rm, fl), NINF32, NONE);
        all("maxsub + 1ulp", (rm, fl) -> Fp32.add(MAX_SUB32, 1, rm, fl), MIN_NORMAL32, NONE);
        modes("2^100 + 1 (far apart)", (rm, fl) -> Fp32.add(f(0x1p100f), ONE, rm, fl), NX,
                f(0x1p100f), f(0x1p100f), f(0x1p100f), f(0x1p100f) + 1, f(0x1p100f));
    }

    @Test
    void mulUnderflowAndOverflow() {
        modes("minsub * 0.5", (rm, fl) -> Fp32.mul(1, f(0.5f), rm, fl), UF | NX, PZERO, PZERO, PZERO, 1, 1);
        modes("(1-2^-24) * minnormal", (rm, fl) -> Fp32.mul(ONE_MINUS, MIN_NORMAL32, rm, fl), UF | NX,
                MIN_NORMAL32, MAX_SUB32, MAX_SUB32, MIN_NORMAL32, MIN_NORMAL32);
        // (1-2^-13) * (2^-126 + 2^-139) = 2^-126 - 2^-152 rounds to 2^-126 at 24 bits: not tiny
        modes("2^-126 - 2^-152", (rm, fl) -> Fp32.mul(f(1 - 0x1p-13f), f(0x1p-126f + 0x1p-139f), rm, fl),
                new int[] {NX, UF | NX, UF | NX, NX, NX}, MIN_NORMAL32, MAX_SUB32, MAX_SUB32, MIN_NORMAL32, MIN_NORMAL32);
        modes("2^127 * -2", (rm, fl) -> Fp32.mul(f(0x1p127f), f(-2f), rm, fl), OF | NX,
                NINF32, MAX32 | NEG, NINF32, MAX32 | NEG, NINF32);
        all("inf * -0", (rm, fl) -> Fp32.mul(PINF32, NZERO32, rm, fl), QNAN32, NV);
        all("-0 * 3", (rm, fl) -> Fp32.mul(NZERO32, f(3f), rm, fl), NZERO32, NONE);
        all("inf * -3", (rm, fl) -> Fp32.mul(PINF32, f(-3f), rm, fl), NINF32, NONE);
    }

    @Test
    void divAndSqrt() {
        int third = 0x3eaa_aaab;   // above 1/3
        modes("1/3", (rm, fl) -> Fp32.div(ONE, f(3f), rm, fl), NX, third, third - 1, third - 1, third, third);
        modes("-1/3", (rm, fl) -> Fp32.div(ONE | NEG, f(3f), rm, fl), NX,
                third | NEG, (third - 1) | NEG, third | NEG, (third - 1) | NEG, third | NEG);
        all("1/0", (rm, fl) -> Fp32.div(ONE, PZERO, rm, fl), PINF32, DZ);
        all("-1/0", (rm, fl) -> Fp32.div(ONE | NEG, PZERO, rm, fl), NINF32, DZ);
        all("0/0", (rm, fl) -> Fp32.div(PZERO, PZERO, rm, fl), QNAN32, NV);
        all("inf/inf", (rm, fl) -> Fp32.div(PINF32, NINF32, rm, fl), QNAN32, NV);
        all("1/inf", (rm, fl) -> Fp32.div(ONE, NINF32, rm, fl), NZERO32, NONE);
        modes("minnormal / 3", (rm, fl) -> Fp32.div(MIN_NORMAL32, f(3f), rm, fl), UF | NX,
                0x002a_aaab, 0x002a_aaaa, 0x002a_aaaa, 0x002a_aaab, 0x002a_aaab);
        int r2 = 0x3fb5_04f3;      // below sqrt(2)
        modes("sqrt 2", (rm, fl) -> Fp32.sqrt(f(2f), rm, fl), NX, r2, r2, r2, r2 + 1, r2);
        all("sqrt 0.25", (rm, fl) -> Fp32.sqrt(f(0.25f), rm, fl), f(0.5f), NONE);
        all("sqrt -0", (rm, fl) -> Fp32.sqrt(NZERO32, rm, fl), NZERO32, NONE);
        all("sqrt -2", (rm, fl) -> Fp32.sqrt(f(-2f), rm, fl), QNAN32, NV);
        all("sqrt sNaN", (rm, fl) -> Fp32.sqrt(SNAN32, rm, fl), QNAN32, NV);
        all("sqrt inf", (rm, fl) -> Fp32.sqrt(PINF32, rm, fl), PINF32, NONE);
    }

    @Test
    void fmaRoundsOnceWithoutDoubleRounding() {
        int a = 0x3f80_0800;                   // 1 + 2^-12; a*a = 1 + 2^-11 + 2^-24, a binary32 midpoint
        int lo = 0x3f80_1000;                  // 1 + 2^-11 (even)
        int tiny = 0x1780_0000;                // 2^-80
        // a*a + 2^-80 rounds to the double midpoint; only the error term says "above"
        modes("a*a + 2^-80", (rm, fl) -> Fp32.fmadd(a, a, tiny, rm, fl), NX, lo + 1, lo, lo, lo + 1, lo + 1);
        modes("a*a - 2^-80", (rm, fl) -> Fp32.fmsub(a, a, tiny, rm, fl), NX, lo, lo, lo, lo + 1, lo);
        modes("a*a + 0 (exact tie)", (rm, fl) -> Fp32.fmadd(a, a, PZERO, rm, fl), NX, lo, lo, lo, lo + 1, lo + 1);
        modes("-(a*a) - 2^-80", (rm, fl) -> Fp32.fnmadd(a, a, tiny, rm, fl), NX,
                (lo + 1) | NEG, lo | NEG, (lo + 1) | NEG, lo | NEG, (lo + 1) | NEG);
        all("MAX*2 - MAX", (rm, fl) -> Fp32.fmsub(MAX32, f(2f), MAX32, rm, fl), MAX32, NONE);
        modes("1*1 - 1", (rm, fl) -> Fp32.fmsub(ONE, ONE, ONE, rm, fl), NONE, PZERO, PZERO, NZERO32, PZERO, PZERO);
        all("fnmsub -(2*3) + 1", (rm, fl) -> Fp32.fnmsub(f(2f), f(3f), ONE, rm, fl), f(-5f), NONE);
        all("inf*0 + qNaN", (rm, fl) -> Fp32.fmadd(PINF32, PZERO, QNAN32, rm, fl), QNAN32, NV);
        all("qNaN*0 + 1", (rm, fl) -> Fp32.fmadd(QNAN32, PZERO, ONE, rm, fl), QNAN32, NONE);
        all("inf*1 - inf", (rm, fl) -> Fp32.fmsub(PINF32, ONE, PINF32, rm, fl), QNAN32, NV);
        all("2*3 + -inf", (rm, fl) -> Fp32.fmadd(f(2f), f(3f), NINF32, rm, fl), NINF32, NONE);
        modes("minsub*0.5 + 0", (rm, fl) -> Fp32.fmadd(1, f(0.5f), PZERO, rm, fl), UF | NX, PZERO, PZERO, PZERO, 1, 1);
        modes("MAX*MAX - 1", (rm, fl) -> Fp32.fmsub(MAX32, MAX32, ONE, rm, fl), OF | NX, PINF32, MAX32, MAX32, PINF32, PINF32);
    }
}
