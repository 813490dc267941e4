package hv.cpu.fp;

import static hv.cpu.fp.FpAssert.MAX32;
import static hv.cpu.fp.FpAssert.MAX64;
import static hv.cpu.fp.FpAssert.MAX_SUB32;
import static hv.cpu.fp.FpAssert.MIN_NORMAL32;
import static hv.cpu.fp.FpAssert.MIN_SUB64;
import static hv.cpu.fp.FpAssert.NINF32;
import static hv.cpu.fp.FpAssert.NINF64;
import static hv.cpu.fp.FpAssert.NONE;
import static hv.cpu.fp.FpAssert.NV;
import static hv.cpu.fp.FpAssert.NX;
import static hv.cpu.fp.FpAssert.NZERO32;
import static hv.cpu.fp.FpAssert.NZERO64;
import static hv.cpu.fp.FpAssert.OF;
import static hv.cpu.fp.FpAssert.PINF32;
import static hv.cpu.fp.FpAssert.PINF64;
import static hv.cpu.fp.FpAssert.QNAN32;
import static hv.cpu.fp.FpAssert.QNAN64;
import static hv.cpu.fp.FpAssert.SNAN32;
import static hv.cpu.fp.FpAssert.SNAN64;
import static hv.cpu.fp.FpAssert.UF;
import static hv.cpu.fp.FpAssert.b;
import static hv.cpu.fp.FpAssert.expect32;
import static hv.cpu.fp.FpAssert.expect64;
import static hv.cpu.fp.FpAssert.f;
import static hv.cpu.fp.FpAssert.rmName;

import org.junit.jupiter.api.Test;

/**
 * fcvt in every direction: the saturation table (NaN and +inf to the largest value, -inf to
 * the smallest, NV and never NX when out of range), W results sign-extended, rounding of
 * integers too wide for the significand, and binary64/binary32 narrowing with its flags.
 */
class FpConvertTest {
    private static final long INT_MIN = 0xffff_ffff_8000_0000L;
    private static final long INT_MAX = 0x7fff_ffffL;

    @FunctionalInterface
    interface Op {
        long apply(int rm, FpFlags fl);
    }

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

    private static void modes32(String what, Op op, int[] flags, int rne, int rtz, int rdn, int rup, int rmm) {
        int[] want = {rne, rtz, rdn, rup, rmm};
        for (int rm = 0; rm < 5; rm++) {
            int mode = rm;
            expect32(what + " " + rmName(rm), want[rm], flags[rm], fl -> (int) op.apply(mode, fl));
        }
    }

    private static void modes32(String what, Op op, int flags, int rne, int rtz, int rdn, int rup, int rmm) {
        modes32(what, op, new int[] {flags, flags, flags, flags, flags}, rne, rtz, rdn, rup, rmm);
    }

    @Test
    void toInt32RoundsAndSaturates() {
        modes("2.5", (rm, fl) -> Fp64.toInt32(b(2.5), rm, fl), NX, 2, 2, 2, 3, 3);
        modes("-2.5", (rm, fl) -> Fp64.toInt32(b(-2.5), rm, fl), NX, -2, -2, -3, -2, -3);
        modes("-0.5", (rm, fl) -> Fp64.toInt32(b(-0.5), rm, fl), NX, 0, 0, -1, 0, -1);
        modes("2^31 - 0.5", (rm, fl) -> Fp64.toInt32(b(0x1p31 - 0.5), rm, fl), new int[] {NV, NX, NX, NV, NV},
                INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX);
        modes("-2^31 - 0.5", (rm, fl) -> Fp64.toInt32(b(-0x1p31 - 0.5), rm, fl), new int[] {NX, NX, NV, NX, NV},
                INT_MIN, INT_MIN, INT_MIN, INT_MIN, INT_MIN);
        all("2^31-1", (rm, fl) -> Fp64.toInt32(b(0x1p31 - 1), rm, fl), INT_MAX, NONE);
        all("-2^31", (rm, fl) -> Fp64.toInt32(b(-0x1p31), rm, fl), INT_MIN, NONE);
        all("-0", (rm, fl) -> Fp64.toInt32(NZERO64, rm, fl), 0, NONE);
        all("qNaN", (rm, fl) -> Fp64.toInt32(QNAN64, rm, fl), INT_MAX, NV);
        all("-qNaN", (rm, fl) -> Fp64.toInt32(QNAN64 | Long.MIN_VALUE, rm, fl), INT_MAX, NV);
        all("+inf", (rm, fl) -> Fp64.toInt32(PINF64, rm, fl), INT_MAX, NV);
        all("-inf", (rm, fl) -> Fp64.toInt32(NINF64, rm, fl), INT_MIN, NV);
        all("1e10", (rm, fl) -> Fp64.toInt32(b(1e10), rm, fl), INT_MAX, NV);
        all("-1e300", (rm, fl) -> Fp64.toInt32(b(-1e300), rm, fl), INT_MIN, NV);
        modes("float 2.5", (rm, fl) -> Fp32.toInt32(f(2.5f), rm, fl), NX, 2, 2, 2, 3, 3);
        all("float sNaN", (rm, fl) -> Fp32.toInt32(SNAN32, rm, fl), INT_MAX, NV);
        all("float 2^31", (rm, fl) -> Fp32.toInt32(f(0x1p31f), rm, fl), INT_MAX, NV);
        all("float -2^31", (rm, fl) -> Fp32.toInt32(f(-0x1p31f), rm, fl), INT_MIN, NONE);
    }

    @Test
    void toUint32SignExtendsAndSaturates() {
        modes("-0.5", (rm, fl) -> Fp64.toUint32(b(-0.5), rm, fl), new int[] {NX, NX, NV, NX, NV}, 0, 0, 0, 0, 0);
        all("-1", (rm, fl) -> Fp64.toUint32(b(-1), rm, fl), 0, NV);
        all("3e9 (bit 31 set: rd is sign-extended)", (rm, fl) -> Fp64.toUint32(b(3e9), rm, fl), 0xffff_ffff_b2d0_5e00L, NONE);
        modes("2^32 - 0.5", (rm, fl) -> Fp64.toUint32(b(0x1p32 - 0.5), rm, fl), new int[] {NV, NX, NX, NV, NV},
                -1L, -1L, -1L, -1L, -1L);
        all("qNaN", (rm, fl) -> Fp64.toUint32(QNAN64, rm, fl), -1L, NV);
        all("+inf", (rm, fl) -> Fp64.toUint32(PINF64, rm, fl), -1L, NV);
        all("-inf", (rm, fl) -> Fp64.toUint32(NINF64, rm, fl), 0, NV);
        all("float 2^32-256", (rm, fl) -> Fp32.toUint32(f(0x1p32f - 256f), rm, fl), 0xffff_ffff_ffff_ff00L, NONE);
        all("float -0", (rm, fl) -> Fp32.toUint32(NZERO32, rm, fl), 0, NONE);
    }

    @Test
    void to64BitIntegers() {
        all("2^63", (rm, fl) -> Fp64.toInt64(b(0x1p63), rm, fl), Long.MAX_VALUE, NV);
        all("-2^63", (rm, fl) -> Fp64.toInt64(b(-0x1p63), rm, fl), Long.MIN_VALUE, NONE);
        all("below 2^63", (rm, fl) -> Fp64.toInt64(0x43df_ffff_ffff_ffffL, rm, fl), 0x7fff_ffff_ffff_fc00L, NONE);
        all("below -2^63", (rm, fl) -> Fp64.toInt64(0xc3e0_0000_0000_0001L, rm, fl), Long.MIN_VALUE, NV);
        all("qNaN", (rm, fl) -> Fp64.toInt64(QNAN64, rm, fl), Long.MAX_VALUE, NV);
        all("-inf", (rm, fl) -> Fp64.toInt64(NINF64, rm, fl), Long.MIN_VALUE, NV);
        modes("-1.5", (rm, fl) -> Fp64.toInt64(b(-1.5), rm, fl), NX, -2, -1, -2, -1, -2);
        all("2^64", (rm, fl) -> Fp64.toUint64(b(0x1p64), rm, fl), -1L, NV);
        all("below 2^64", (rm, fl) -> Fp64.toUint64(0x43ef_ffff_ffff_ffffL, rm, fl), 0xffff_ffff_ffff_f800L, NONE);
        all("2^63 unsigned", (rm, fl) -> Fp64.toUint64(b(0x1p63), rm, fl), Long.MIN_VALUE, NONE);
        all("-1 unsigned", (rm, fl) -> Fp64.toUint64(b(-1), rm, fl), 0, NV);
        all("sNaN unsigned", (rm, fl) -> Fp64.toUint64(SNAN64, rm, fl), -1L, NV);
        modes("0.75 unsigned", (rm, fl) -> Fp64.toUint64(b(0.75), rm, fl), NX, 1, 0, 0, 1, 1);
        modes("minsub unsigned", (rm, fl) -> Fp64.toUint64(MIN_SUB64, rm, fl), NX, 0, 0, 0, 1, 0);
        modes("-minsub unsigned", (rm, fl) -> Fp64.toUint64(MIN_SUB64 | Long.MIN_VALUE, rm, fl),
                new int[] {NX, NX, NV, NX, NX}, 0, 0, 0, 0, 0);
        all("float 2^63 signed", (rm, fl) -> Fp32.toInt64(f(0x1p63f), rm, fl), Long.MAX_VALUE, NV);
        all("float -inf unsigned", (rm, fl) -> Fp32.toUint64(NINF32, rm, fl), 0, NV);
        all("float 2^63 unsigned", (rm, fl) -> Fp32.toUint64(f(0x1p63f), rm, fl), Long.MIN_VALUE, NONE);
    }

    @Test
    void integersToBinary64() {
        long p53 = b(0x1p53);
        modes("2^53+1", (rm, fl) -> Fp64.fromInt64((1L << 53) + 1, rm, fl), NX, p53, p53, p53, p53 + 1, p53 + 1);
        modes("-(2^53+1)", (rm, fl) -> Fp64.fromInt64(-((1L << 53) + 1), rm, fl), NX,
                p53 | Long.MIN_VALUE, p53 | Long.MIN_VALUE, (p53 + 1) | Long.MIN_VALUE, p53 | Long.MIN_VALUE,
                (p53 + 1) | Long.MIN_VALUE);
        all("Long.MIN_VALUE", (rm, fl) -> Fp64.fromInt64(Long.MIN_VALUE, rm, fl), b(-0x1p63), NONE);
        long p63 = b(0x1p63);
        modes("Long.MAX_VALUE", (rm, fl) -> Fp64.fromInt64(Long.MAX_VALUE, rm, fl), NX, p63, p63 - 1, p63 - 1, p63, p63);
        long p64 = b(0x1p64);
        modes("2^64-1", (rm, fl) -> Fp64.fromUint64(-1L, rm, fl), NX, p64, p64 - 1, p64 - 1, p64, p64);
        modes("2^63+1025", (rm, fl) -> Fp64.fromUint64(0x8000_0000_0000_0401L, rm, fl), NX, p63 + 1, p63, p63, p63 + 1, p63 + 1);
        modes("2^63+1024 (tie)", (rm, fl) -> Fp64.fromUint64(0x8000_0000_0000_0400L, rm, fl), NX, p63, p63, p63, p63 + 1, p63 + 1);
        all("w: low 32 bits only", (rm, fl) -> Fp64.fromInt32(0x1_0000_0001L, rm, fl), b(1), NONE);
        all("w: 0xffffffff is -1", (rm, fl) -> Fp64.fromInt32(0xffff_ffffL, rm, fl), b(-1), NONE);
        all("w: 0x80000000", (rm, fl) -> Fp64.fromInt32(0x8000_0000L, rm, fl), b(-0x1p31), NONE);
        all("wu: -1 is 2^32-1", (rm, fl) -> Fp64.fromUint32(-1L, rm, fl), b(4294967295.0), NONE);
        all("0", (rm, fl) -> Fp64.fromInt64(0, rm, fl), 0, NONE);
    }

    @Test
    void integersToBinary32() {
        int p24 = f(0x1p24f);
        modes32("2^24+1", (rm, fl) -> Fp32.fromInt32(16777217, rm, fl), NX, p24, p24, p24, p24 + 1, p24 + 1);
        modes32("-(2^24+1)", (rm, fl) -> Fp32.fromInt32(-16777217, rm, fl), NX,
                p24 | NZERO32, p24 | NZERO32, (p24 + 1) | NZERO32, p24 | NZERO32, (p24 + 1) | NZERO32);
        int p32 = f(0x1p32f);
        modes32("wu 2^32-1", (rm, fl) -> Fp32.fromUint32(0xffff_ffffL, rm, fl), NX, p32, p32 - 1, p32 - 1, p32, p32);
        int p64 = f(0x1p64f);
        modes32("lu 2^64-1", (rm, fl) -> Fp32.fromUint64(-1L, rm, fl), NX, p64, p64 - 1, p64 - 1, p64, p64);
        modes32("l MIN", (rm, fl) -> Fp32.fromInt64(Long.MIN_VALUE, rm, fl), NONE,
                f(-0x1p63f), f(-0x1p63f), f(-0x1p63f), f(-0x1p63f), f(-0x1p63f));
        modes32("w: low 32 bits", (rm, fl) -> Fp32.fromInt32(0x7_0000_0003L, rm, fl), NONE, f(3f), f(3f), f(3f), f(3f), f(3f));
    }

    @Test
    void binary64ToBinary32() {
        int one = f(1f);
        modes32("1 + 2^-24 (tie)", (rm, fl) -> Fp64.toFp32(b(1 + 0x1p-24), rm, fl), NX, one, one, one, one + 1, one + 1);
        modes32("MAX64", (rm, fl) -> Fp64.toFp32(MAX64, rm, fl), OF | NX, PINF32, MAX32, MAX32, PINF32, PINF32);
        modes32("-MAX64", (rm, fl) -> Fp64.toFp32(MAX64 | Long.MIN_VALUE, rm, fl), OF | NX,
                NINF32, MAX32 | NZERO32, NINF32, MAX32 | NZERO32, NINF32);
        modes32("FLT_MAX + 2^103 (tie)", (rm, fl) -> Fp64.toFp32(b(Float.MAX_VALUE + 0x1p103), rm, fl),
                new int[] {OF | NX, NX, NX, OF | NX, OF | NX}, PINF32, MAX32, MAX32, PINF32, PINF32);
        modes32("2^-150", (rm, fl) -> Fp64.toFp32(b(0x1p-150), rm, fl), UF | NX, 0, 0, 0, 1, 1);
        modes32("2^-149 exact", (rm, fl) -> Fp64.toFp32(b(0x1p-149), rm, fl), NONE, 1, 1, 1, 1, 1);
        modes32("2^-126 - 2^-150 (tiny after rounding)", (rm, fl) -> Fp64.toFp32(b(0x1p-126 - 0x1p-150), rm, fl), UF | NX,
                MIN_NORMAL32, MAX_SUB32, MAX_SUB32, MIN_NORMAL32, MIN_NORMAL32);
        modes32("2^-126 - 2^-151 (not tiny after rounding)", (rm, fl) -> Fp64.toFp32(b(0x1p-126 - 0x1p-151), rm, fl),
                new int[] {NX, UF | NX, UF | NX, NX, NX}, MIN_NORMAL32, MAX_SUB32, MAX_SUB32, MIN_NORMAL32, MIN_NORMAL32);
        modes32("sNaN", (rm, fl) -> Fp64.toFp32(SNAN64, rm, fl), NV, QNAN32, QNAN32, QNAN32, QNAN32, QNAN32);
        modes32("-qNaN", (rm, fl) -> Fp64.toFp32(QNAN64 | Long.MIN_VALUE, rm, fl), NONE, QNAN32, QNAN32, QNAN32, QNAN32, QNAN32);
        modes32("-inf", (rm, fl) -> Fp64.toFp32(NINF64, rm, fl), NONE, NINF32, NINF32, NINF32, NINF32, NINF32);
        modes32("-0", (rm, fl) -> Fp64.toFp32(NZERO64, rm, fl), NONE, NZERO32, NZERO32, NZERO32, NZERO32, NZERO32);
    }

    @Test
    void binary32ToBinary64() {
        expect64("sNaN", QNAN64, NV, fl -> Fp32.toFp64(SNAN32, fl));
        expect64("-qNaN payload", QNAN64, NONE, fl -> Fp32.toFp64(0xffc0_1234, fl));
        expect64("min subnormal", b(0x1p-149), NONE, fl -> Fp32.toFp64(1, fl));
        expect64("-0", NZERO64, NONE, fl -> Fp32.toFp64(NZERO32, fl));
        expect64("-inf", NINF64, NONE, fl -> Fp32.toFp64(NINF32, fl));
        expect64("MAX", b(Float.MAX_VALUE), NONE, fl -> Fp32.toFp64(MAX32, fl));
        expect64("qNaN", QNAN64, NONE, fl -> Fp32.toFp64(QNAN32, fl));
    }
}
