package hv.cpu.fp;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operations of the differential test by the names the C oracle (src/test/c/fporacle.c)
 * understands, with the oracle's operand and result conventions: single-precision operands are
 * the low 32 bits, single-precision results are given as the low 32 bits, integer results as
 * the full 64-bit rd value.
 */
final class FpOps {
    /** One operation applied to the three raw operands; the flags accrue into {@code fl}. */
    @FunctionalInterface
    interface Op {
        long apply(long a, long b, long c, int rm, FpFlags fl);
    }

    /** Operand shape: which generator the corpus uses for each operand. */
    enum Shape { D1, D2, D3, S1, S2, S3, D_FROM_INT, S_FROM_INT }

    record Def(String name, Shape shape, Op op) {
    }

    private static long s(int bits) {
        return bits & 0xffff_ffffL;
    }

    static final List<Def> ALL = List.of(
            new Def("d.add", Shape.D2, (a, b, c, rm, f) -> Fp64.add(a, b, rm, f)),
            new Def("d.sub", Shape.D2, (a, b, c, rm, f) -> Fp64.sub(a, b, rm, f)),
            new Def("d.mul", Shape.D2, (a, b, c, rm, f) -> Fp64.mul(a, b, rm, f)),
            new Def("d.div", Shape.D2, (a, b, c, rm, f) -> Fp64.div(a, b, rm, f)),
            new Def("d.sqrt", Shape.D1, (a, b, c, rm, f) -> Fp64.sqrt(a, rm, f)),
            new Def("d.fmadd", Shape.D3, (a, b, c, rm, f) -> Fp64.fmadd(a, b, c, rm, f)),
            new Def("d.fmsub", Shape.D3, (a, b, c, rm, f) -> Fp64.fmsub(a, b, c, rm, f)),
            new Def("d.fnmsub", Shape.D3, (a, b, c, rm, f) -> Fp64.fnmsub(a, b, c, rm, f)),
            new Def("d.fnmadd", Shape.D3, (a, b, c, rm, f) -> Fp64.fnmadd(a, b, c, rm, f)),
            new Def("d.min", Shape.D2, (a, b, c, rm, f) -> Fp64.min(a, b, f)),
            new Def("d.max", Shape.D2, (a, b, c, rm, f) -> Fp64.max(a, b, f)),
            new Def("d.eq", Shape.D2, (a, b, c, rm, f) -> Fp64.eq(a, b, f)),
            new Def("d.lt", Shape.D2, (a, b, c, rm, f) -> Fp64.lt(a, b, f)),
            new Def("d.le", Shape.D2, (a, b, c, rm, f) -> Fp64.le(a, b, f)),
            new Def("d.class", Shape.D1, (a, b, c, rm, f) -> Fp64.classify(a)),
            new Def("d.cvt.w", Shape.D1, (a, b, c, rm, f) -> Fp64.toInt32(a, rm, f)),
            new Def("d.cvt.wu", Shape.D1, (a, b, c, rm, f) -> Fp64.toUint32(a, rm, f)),
            new Def("d.cvt.l", Shape.D1, (a, b, c, rm, f) -> Fp64.toInt64(a, rm, f)),
            new Def("d.cvt.lu", Shape.D1, (a, b, c, rm, f) -> Fp64.toUint64(a, rm, f)),
            new Def("d.from.w", Shape.D_FROM_INT, (a, b, c, rm, f) -> Fp64.fromInt32(a, rm, f)),
            new Def("d.from.wu", Shape.D_FROM_INT, (a, b, c, rm, f) -> Fp64.fromUint32(a, rm, f)),
            new Def("d.from.l", Shape.D_FROM_INT, (a, b, c, rm, f) -> Fp64.fromInt64(a, rm, f)),
            new Def("d.from.lu", Shape.D_FROM_INT, (a, b, c, rm, f) -> Fp64.fromUint64(a, rm, f)),
            new Def("d.to.s", Shape.D1, (a, b, c, rm, f) -> s(Fp64.toFp32(a, rm, f))),
            new Def("s.add", Shape.S2, (a, b, c, rm, f) -> s(Fp32.add((int) a, (int) b, rm, f))),
            new Def("s.sub", Shape.S2, (a, b, c, rm, f) -> s(Fp32.sub((int) a, (int) b, rm, f))),
            new Def("s.mul", Shape.S2, (a, b, c, rm, f) -> s(Fp32.mul((int) a, (int) b, rm, f))),
            new Def("s.div", Shape.S2, (a, b, c, rm, f) -> s(Fp32.div((int) a, (int) b, rm, f))),
            new Def("s.sqrt", Shape.S1, (a, b, c, rm, f) -> s(Fp32.sqrt((int) a, rm, f))),
            new Def("s.fmadd", Shape.S3, (a, b, c, rm, f) -> s(Fp32.fmadd((int) a, (int) b, (int) c, rm, f))),
            new Def("s.fmsub", Shape.S3, (a, b, c, rm, f) -> s(Fp32.fmsub((int) a, (int) b, (int) c, rm, f))),
            new Def("s.fnmsub", Shape.S3, (a, b, c, rm, f) -> s(Fp32.fnmsub((int) a, (int) b, (int) c, rm, f))),
            new Def("s.fnmadd", Shape.S3, (a, b, c, rm, f) -> s(Fp32.fnmadd((int) a, (int) b, (int) c, rm, f))),
            new Def("s.min", Shape.S2, (a, b, c, rm, f) -> s(Fp32.min((int) a, (int) b, f))),
            new Def("s.max", Shape.S2, (a, b, c, rm, f) -> s(Fp32.max((int) a, (int) b, f))),
            new Def("s.eq", Shape.S2, (a, b, c, rm, f) -> Fp32.eq((int) a, (int) b, f)),
            new Def("s.lt", Shape.S2, (a, b, c, rm, f) -> Fp32.lt((int) a, (int) b, f)),
            new Def("s.le", Shape.S2, (a, b, c, rm, f) -> Fp32.le((int) a, (int) b, f)),
            new Def("s.class", Shape.S1, (a, b, c, rm, f) -> Fp32.classify((int) a)),
            new Def("s.cvt.w", Shape.S1, (a, b, c, rm, f) -> Fp32.toInt32((int) a, rm, f)),
            new Def("s.cvt.wu", Shape.S1, (a, b, c, rm, f) -> Fp32.toUint32((int) a, rm, f)),
            new Def("s.cvt.l", Shape.S1, (a, b, c, rm, f) -> Fp32.toInt64((int) a, rm, f)),
            new Def("s.cvt.lu", Shape.S1, (a, b, c, rm, f) -> Fp32.toUint64((int) a, rm, f)),
            new Def("s.from.w", Shape.S_FROM_INT, (a, b, c, rm, f) -> s(Fp32.fromInt32(a, rm, f))),
            new Def("s.from.wu", Shape.S_FROM_INT, (a, b, c, rm, f) -> s(Fp32.fromUint32(a, rm, f))),
            new Def("s.from.l", Shape.S_FROM_INT, (a, b, c, rm, f) -> s(Fp32.fromInt64(a, rm, f))),
            new Def("s.from.lu", Shape.S_FROM_INT, (a, b, c, rm, f) -> s(Fp32.fromUint64(a, rm, f))),
            new Def("s.to.d", Shape.S1, (a, b, c, rm, f) -> Fp32.toFp64((int) a, f)));

    static final Map<String, Def> BY_NAME =
            ALL.stream().collect(Collectors.toMap(Def::name, Function.identity()));

    private FpOps() {
    }
}
