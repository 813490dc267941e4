package hv.cpu.fp;

import static hv.cpu.fp.FpAssert.MAX64;
import static hv.cpu.fp.FpAssert.MIN_SUB64;
import static hv.cpu.fp.FpAssert.NEG_QNAN_PAYLOAD64;
import static hv.cpu.fp.FpAssert.NINF32;
import static hv.cpu.fp.FpAssert.NINF64;
import static hv.cpu.fp.FpAssert.NONE;
import static hv.cpu.fp.FpAssert.NV;
import static hv.cpu.fp.FpAssert.NZERO32;
import static hv.cpu.fp.FpAssert.NZERO64;
import static hv.cpu.fp.FpAssert.PINF32;
import static hv.cpu.fp.FpAssert.PINF64;
import static hv.cpu.fp.FpAssert.PZERO64;
import static hv.cpu.fp.FpAssert.QNAN32;
import static hv.cpu.fp.FpAssert.QNAN64;
import static hv.cpu.fp.FpAssert.SNAN32;
import static hv.cpu.fp.FpAssert.SNAN64;
import static hv.cpu.fp.FpAssert.b;
import static hv.cpu.fp.FpAssert.expect32;
import static hv.cpu.fp.FpAssert.expect64;
import static hv.cpu.fp.FpAssert.f;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** fmin/fmax (ISA 2.2 semantics), feq/flt/fle flag rules and fclass. */
class FpCompareTest {

    @Test
    void minMaxOrderZerosAndSkipNaNs() {
        expect64("min(-0,+0)", NZERO64, NONE, fl -> Fp64.min(NZERO64, PZERO64, fl));
        expect64("min(+0,-0)", NZERO64, NONE, fl -> Fp64.min(PZERO64, NZERO64, fl));
        expect64("max(-0,+0)", PZERO64, NONE, fl -> Fp64.max(NZERO64, PZERO64, fl));
        expect64("max(+0,-0)", PZERO64, NONE, fl -> Fp64.max(PZERO64, NZERO64, fl));
        expect64("min(qNaN,1)", b(1), NONE, fl -> Fp64.min(QNAN64, b(1), fl));
        expect64("max(1,-qNaN)", b(1), NONE, fl -> Fp64.max(b(1), NEG_QNAN_PAYLOAD64, fl));
        expect64("min(sNaN,1) returns 1 but signals", b(1), NV, fl -> Fp64.min(SNAN64, b(1), fl));
        expect64("max(sNaN,qNaN)", QNAN64, NV, fl -> Fp64.max(SNAN64, QNAN64, fl));
        expect64("min(qNaN,-qNaN payload) canonical", QNAN64, NONE, fl -> Fp64.min(QNAN64 | 5, NEG_QNAN_PAYLOAD64, fl));
        expect64("min(-inf,5)", NINF64, NONE, fl -> Fp64.min(NINF64, b(5), fl));
        expect64("max(-inf,-5)", b(-5), NONE, fl -> Fp64.max(NINF64, b(-5), fl));
        expect64("max(-1,-2)", b(-1), NONE, fl -> Fp64.max(b(-1), b(-2), fl));
        expect64("min(-1,-2)", b(-2), NONE, fl -> Fp64.min(b(-1), b(-2), fl));
        expect64("max(minsub,0)", MIN_SUB64, NONE, fl -> Fp64.max(MIN_SUB64, PZERO64, fl));
        expect64("max(MAX,inf)", PINF64, NONE, fl -> Fp64.max(MAX64, PINF64, fl));

        expect32("min(-0,+0)", NZERO32, NONE, fl -> Fp32.min(NZERO32, 0, fl));
        expect32("max(-0,+0)", 0, NONE, fl -> Fp32.max(0, NZERO32, fl));
        expect32("min(1,qNaN)", f(1f), NONE, fl -> Fp32.min(f(1f), QNAN32, fl));
        expect32("max(sNaN,-3)", f(-3f), NV, fl -> Fp32.max(SNAN32, f(-3f), fl));
        expect32("min(qNaN,sNaN)", QNAN32, NV, fl -> Fp32.min(0x7fc0_0001, SNAN32, fl));
        expect32("min(-inf,-2)", NINF32, NONE, fl -> Fp32.min(f(-2f), NINF32, fl));
        expect32("max(-1,-2)", f(-1f), NONE, fl -> Fp32.max(f(-2f), f(-1f), fl));
    }

    @Test
    void equalityIsQuietOrderingIsSignaling() {
        expect64("eq(qNaN,qNaN)", 0, NONE, fl -> Fp64.eq(QNAN64, QNAN64, fl));
        expect64("eq(sNaN,1)", 0, NV, fl -> Fp64.eq(SNAN64, b(1), fl));
        expect64("eq(-0,+0)", 1, NONE, fl -> Fp64.eq(NZERO64, PZERO64, fl));
        expect64("eq(inf,inf)", 1, NONE, fl -> Fp64.eq(PINF64, PINF64, fl));
        expect64("eq(1,2)", 0, NONE, fl -> Fp64.eq(b(1), b(2), fl));
        expect64("lt(qNaN,1)", 0, NV, fl -> Fp64.lt(QNAN64, b(1), fl));
        expect64("le(1,qNaN)", 0, NV, fl -> Fp64.le(b(1), QNAN64, fl));
        expect64("lt(-0,+0)", 0, NONE, fl -> Fp64.lt(NZERO64, PZERO64, fl));
        expect64("le(-0,+0)", 1, NONE, fl -> Fp64.le(NZERO64, PZERO64, fl));
        expect64("lt(-inf,MAX)", 1, NONE, fl -> Fp64.lt(NINF64, MAX64, fl));
        expect64("le(inf,inf)", 1, NONE, fl -> Fp64.le(PINF64, PINF64, fl));
        expect64("lt(2,1)", 0, NONE, fl -> Fp64.lt(b(2), b(1), fl));

        expect32("eq(qNaN,1)", 0, NONE, fl -> Fp32.eq(QNAN32, f(1f), fl));
        expect32("eq(1,sNaN)", 0, NV, fl -> Fp32.eq(f(1f), SNAN32, fl));
        expect32("eq(+0,-0)", 1, NONE, fl -> Fp32.eq(0, NZERO32, fl));
        expect32("lt(1,qNaN)", 0, NV, fl -> Fp32.lt(f(1f), QNAN32, fl));
        expect32("le(qNaN,qNaN)", 0, NV, fl -> Fp32.le(QNAN32, QNAN32, fl));
        expect32("lt(-1,1)", 1, NONE, fl -> Fp32.lt(f(-1f), f(1f), fl));
        expect32("le(1,1)", 1, NONE, fl -> Fp32.le(f(1f), f(1f), fl));
    }

    @Test
    void classifySetsExactlyOneOfTenBits() {
        long[] d = {NINF64, b(-1), 0x800f_ffff_ffff_ffffL, NZERO64, PZERO64, MIN_SUB64, b(1), PINF64, SNAN64, QNAN64};
        int[] s = {NINF32, f(-1f), 0x8000_0001, NZERO32, 0, 0x007f_ffff, f(1f), PINF32, SNAN32, QNAN32};
        for (int i = 0; i < 10; i++) {
            assertEquals(1 << i, Fp64.classify(d[i]), "fclass.d class " + i);
            assertEquals(1 << i, Fp32.classify(s[i]), "fclass.s class " + i);
        }
        assertEquals(1 << 9, Fp64.classify(NEG_QNAN_PAYLOAD64), "negative qNaN");
        assertEquals(1 << 8, Fp64.classify(0xfff0_0000_0000_0001L), "negative sNaN");
        assertEquals(1 << 8, Fp32.classify(0xffbf_ffff), "negative sNaN (single)");
    }
}
