package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hart's side of F and D: NaN-boxing, sign injection, moves, loads/stores, rounding-mode
 * resolution, fflags accumulation and mstatus.FS (unprivileged spec 14-15, privileged 3.1.6.6).
 * The arithmetic itself is hv.cpu.fp's and tested there; here only enough to see it wired.
 */
class FpRegisterTest {
    static final long BASE = TestMachine.BASE, D = TestMachine.DATA, MTRAP = BASE + 0x800;
    static final int S = 0, DBL = 1;
    static final long BOX = 0xffff_ffff_0000_0000L;
    static final int ONE_S = 0x3f80_0000, TWO_S = 0x4000_0000, CANONICAL_S = 0x7fc0_0000;

    TestMachine m;

    @BeforeEach
    void up() {
        m = new TestMachine();
        m.put(MTRAP, EBREAK);
    }

    @AfterEach
    void down() {
        m.close();
    }

    /** Code with FS = Initial and mtvec set. */
    static TestMachine.Code fpOn() {
        return new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).li(5, 1L << 13).add(csrrs(0, 0x300, 5));
    }

    Hart run(TestMachine.Code c) {
        return m.exec(c.build());
    }

    @Test
    void loadsBoxSinglesAndStoresWriteRawBits() {
        m.store64(D, 0x4008_0000_0000_0000L); // 3.0 as double; low word 0
        m.store64(D + 8, 0x1111_2222_3f80_0000L);
        Hart h = run(fpOn().li(1, D).add(flw(1, 1, 8), fld(2, 1, 0), fsw(1, 1, 16), fsd(2, 1, 24), fsd(1, 1, 32)));
        assertEquals(BOX | ONE_S, h.f[1]);
        assertEquals(0x4008_0000_0000_0000L, h.f[2]);
        assertEquals(ONE_S, m.load64(D + 16) & 0xffff_ffffL);
        assertEquals(0x4008_0000_0000_0000L, m.load64(D + 24));
        assertEquals(BOX | ONE_S, m.load64(D + 32), "FSD of a boxed single stores the box");
    }

    @Test
    void unboxedSinglesReadAsCanonicalNan() {
        // f1 holds a double (not NaN-boxed): as a single it is the canonical NaN
        Hart h = run(fpOn().li(1, 0x4000_0000_0000_0000L).add(fp(0x1e, DBL, 1, 1, 0, 0), // fmv.d.x f1, x1
                fp(0x04, S, 2, 1, 1, 0), // fsgnj.s f2, f1, f1 (fmv.s)
                fp(0x1c, S, 3, 1, 0, 1), // fclass.s x3, f1
                fp(0x1c, S, 4, 1, 0, 0))); // fmv.x.w x4, f1: raw low bits, no box check
        assertEquals(BOX | CANONICAL_S, h.f[2]);
        assertEquals(1 << 9, h.x[3], "quiet NaN class");
        assertEquals(0, h.x[4]);
    }

    @Test
    void signInjectionAndMoves() {
        Hart h = run(fpOn().li(1, ONE_S).li(2, 0x8000_0000L | TWO_S).add(fp(0x1e, S, 1, 1, 0, 0), fp(0x1e, S, 2, 2, 0, 0),
                fp(0x04, S, 3, 1, 2, 0), // fsgnj: 1.0 with sign of -2 -> -1
                fp(0x04, S, 4, 2, 2, 1), // fsgnjn: -2 with not(sign(-2)) -> 2
                fp(0x04, S, 5, 2, 2, 2), // fsgnjx: -2 sign xor sign -> 2
                fp(0x1c, S, 6, 2, 0, 0))); // fmv.x.w sign-extends
        assertEquals(BOX | 0xbf80_0000L, h.f[3]);
        assertEquals(BOX | TWO_S, h.f[4]);
        assertEquals(BOX | TWO_S, h.f[5]);
        assertEquals((long) (0x8000_0000 | TWO_S), h.x[6]);
        Hart d = run(fpOn().li(1, Double.doubleToRawLongBits(-3.5)).add(fp(0x1e, DBL, 1, 1, 0, 0), fp(0x04, DBL, 2, 1, 1, 2),
                fp(0x1c, DBL, 3, 2, 0, 0)));
        assertEquals(Double.doubleToRawLongBits(3.5), d.x[3]);
    }

    @Test
    void arithmeticIsWiredWithRoundingModesAndFlags() {
        // 1.0 / 3.0 in RNE and RUP: results differ in the last bit; NX accumulates in fflags
        long one = Double.doubleToRawLongBits(1.0), three = Double.doubleToRawLongBits(3.0);
        Hart h = run(fpOn().li(1, one).li(2, three).add(fp(0x1e, DBL, 1, 1, 0, 0), fp(0x1e, DBL, 2, 2, 0, 0),
                fp(0x03, DBL, 3, 1, 2, 0), fp(0x03, DBL, 4, 1, 2, 3), csrr(5, 0x001), csrrwi(0, 0x002, 3),
                fp(0x03, DBL, 6, 1, 2, 7))); // dynamic rm = frm = RUP
        assertEquals(Double.doubleToRawLongBits(1.0 / 3.0), h.f[3]);
        assertEquals(h.f[3] + 1, h.f[4]);
        assertEquals(1, h.x[5], "NX");
        assertEquals(h.f[4], h.f[6]);
        // fcvt.w.d of a large value saturates and raises NV; result sign-extended
        Hart c = run(fpOn().li(1, Double.doubleToRawLongBits(1e20)).add(fp(0x1e, DBL, 1, 1, 0, 0), fp(0x18, DBL, 2, 1, 0, 1),
                csrr(3, 0x001)));
        assertEquals(Integer.MAX_VALUE, c.x[2]);
        assertEquals(16, c.x[3] & 16);
    }

    @Test
    void invalidRoundingModesAreIllegal() {
        int bad = fp(0x00, DBL, 3, 1, 2, 5); // static rm = 5
        run(fpOn().add(bad));
        assertEquals(2, m.hart.mcause);
        assertEquals(bad & 0xffff_ffffL, m.hart.mtval);
        int dyn = fp(0x00, DBL, 3, 1, 2, 7);
        run(fpOn().add(csrrwi(0, 0x002, 5), dyn)); // frm = 5: dynamic rm invalid at execution
        assertEquals(2, m.hart.mcause);
        assertEquals(dyn & 0xffff_ffffL, m.hart.mtval);
        Hart ok = run(fpOn().add(csrrwi(0, 0x002, 4), dyn, addi(7, 0, 1)));
        assertEquals(1, ok.x[7]);
    }

    @Test
    void fsOffMakesEveryFpInstructionIllegal() {
        for (int insn : new int[] {flw(1, 0, 0), fsd(1, 0, 0), fp(0x00, S, 1, 1, 1, 0), fp(0x1e, DBL, 1, 0, 0, 0),
                fma(0x43, DBL, 1, 1, 1, 1, 0)}) {
            m.exec(new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5), insn).build());
            assertEquals(2, m.hart.mcause);
            assertEquals(insn & 0xffff_ffffL, m.hart.mtval);
        }
        // compressed FP loads too (c.fld f8, 0(x8) = 0x2000)
        m.put(BASE, new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).build());
        long at = BASE + 4L * new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).size();
        m.put16(at, 0x2000);
        m.put16(at + 2, 0x0001);
        m.put(at + 4, EBREAK);
        m.hart.reset(BASE, Hart.PRIV_M);
        assertEquals(ExitReason.BREAKPOINT, m.hart.run(1000));
        assertEquals(2, m.hart.mcause);
        assertEquals(0x2000, m.hart.mtval);
    }

    @Test
    void fpWritesMakeFsDirty() {
        Hart h = run(fpOn().add(csrr(6, 0x300), fp(0x1e, DBL, 1, 0, 0, 0), csrr(7, 0x300)));
        assertEquals(1, (h.x[6] >>> 13) & 3, "Initial");
        assertEquals(3, (h.x[7] >>> 13) & 3, "Dirty");
        assertTrue(h.x[7] < 0, "SD");
        // a compare writes only x, raises no flag: FS stays clean
        Hart c = run(fpOn().add(fp(0x14, DBL, 3, 0, 0, 2), csrr(7, 0x300)));
        assertEquals(1, (c.x[7] >>> 13) & 3);
        assertEquals(1, c.x[3], "0.0 == 0.0");
    }

    @Test
    void fusedMultiplyAddUsesRs3() {
        long a = Double.doubleToRawLongBits(2.0), b = Double.doubleToRawLongBits(3.0), c = Double.doubleToRawLongBits(1.0);
        Hart h = run(fpOn().li(1, a).li(2, b).li(3, c).add(fp(0x1e, DBL, 1, 1, 0, 0), fp(0x1e, DBL, 2, 2, 0, 0),
                fp(0x1e, DBL, 3, 3, 0, 0), fma(0x43, DBL, 4, 1, 2, 3, 0), fma(0x47, DBL, 5, 1, 2, 3, 0),
                fma(0x4b, DBL, 6, 1, 2, 3, 0), fma(0x4f, DBL, 7, 1, 2, 3, 0)));
        assertEquals(7.0, Double.longBitsToDouble(h.f[4]));
        assertEquals(5.0, Double.longBitsToDouble(h.f[5]));
        assertEquals(-5.0, Double.longBitsToDouble(h.f[6]));
        assertEquals(-7.0, Double.longBitsToDouble(h.f[7]));
    }

    @Test
    void conversionsBetweenFormatsAndIntegers() {
        Hart h = run(fpOn().li(1, -7).add(fp(0x1a, S, 1, 1, 0, 0), // fcvt.s.w f1, x1
                fp(0x08, DBL, 2, 1, 0, 0), // fcvt.d.s f2, f1
                fp(0x18, DBL, 3, 2, 2, 1), // fcvt.l.d x3, f2
                fp(0x08, S, 4, 2, 1, 0), // fcvt.s.d f4, f2
                fp(0x18, S, 5, 1, 1, 1))); // fcvt.wu.s x5, f1: negative -> 0, NV
        assertEquals(BOX | Float.floatToRawIntBits(-7f), h.f[1]);
        assertEquals(Double.doubleToRawLongBits(-7.0), h.f[2]);
        assertEquals(-7, h.x[3]);
        assertEquals(BOX | Float.floatToRawIntBits(-7f), h.f[4]);
        assertEquals(0, h.x[5]);
    }
}
