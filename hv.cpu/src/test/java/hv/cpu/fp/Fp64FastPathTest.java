package hv.cpu.fp;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The binary64 fast paths (host arithmetic plus error-free transformations) against the exact
 * integer/BigInteger paths they fall back to, over many more operands than the emulator-based
 * differential test can afford. The two are independent algorithms: a wrong exactness test,
 * error sign or tie detection in a fast path shows up as a difference in bits or flags.
 */
class Fp64FastPathTest {
    private static final int CASES = Integer.getInteger("hv.fp.fastcases", 100_000);

    private interface Binary {
        long apply(long a, long b, long c, int rm, FpFlags f);
    }

    private static boolean finiteNonZero(long v) {
        return (v & Fp64.EXP) != Fp64.EXP && (v & ~Fp64.SIGN) != 0;
    }

    @Test
    void fastPathsAgreeWithExactArithmetic() {
        long seed = Long.getLong("hv.fp.seed", System.nanoTime());
        FpCorpus g = new FpCorpus(seed);
        List<String> bad = new ArrayList<>();
        int finite = 0;
        for (int i = 0; i < CASES && bad.size() < 20; i++) {
            long a = g.d();
            long b = g.dRelated(a);
            long c = g.dAddend(a, b);
            int rm = g.rm();
            compare("fmadd", a, b, c, rm, Fp64::fmadd, Fp64::fmaExact, bad);
            if (finiteNonZero(a) && finiteNonZero(b)) {
                finite++;
                compare("add", a, b, 0, rm, (x, y, z, m, f) -> Fp64.add(x, y, m, f),
                        (x, y, z, m, f) -> Fp64.addExact(x, y, m, f), bad);
                compare("mul", a, b, 0, rm, (x, y, z, m, f) -> Fp64.mul(x, y, m, f),
                        (x, y, z, m, f) -> Fp64.mulExact(x, y, m, f), bad);
                compare("div", a, b, 0, rm, (x, y, z, m, f) -> Fp64.div(x, y, m, f),
                        (x, y, z, m, f) -> Fp64.divExact(x, y, m, f), bad);
            }
        }
        if (!bad.isEmpty()) {
            fail("seed " + seed + " (replay with -Dhv.fp.seed=" + seed + "): fast and exact paths differ"
                    + " (op rm a b c: fast / exact):\n  " + String.join("\n  ", bad));
        }
        if (finite < CASES / 2) {
            fail("only " + finite + " finite operand pairs: the corpus no longer exercises the fast paths");
        }
    }

    private static void compare(String op, long a, long b, long c, int rm, Binary fast, Binary exact, List<String> bad) {
        FpFlags ff = new FpFlags();
        FpFlags ef = new FpFlags();
        long fr = fast.apply(a, b, c, rm, ff);
        long er = exact.apply(a, b, c, rm, ef);
        if (fr != er || ff.bits != ef.bits) {
            bad.add(String.format("%s %d %016x %016x %016x: %016x %s / %016x %s", op, rm, a, b, c, fr, ff, er, ef));
        }
    }
}
