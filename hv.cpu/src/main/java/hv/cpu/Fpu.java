package hv.cpu;

import static hv.cpu.Op.*;

import hv.cpu.fp.FpFlags;
import hv.cpu.fp.Fp32;
import hv.cpu.fp.Fp64;

/**
 * F and D instructions other than loads/stores: the register file side (NaN-boxing, sign
 * injection, moves, rounding-mode resolution, fflags, mstatus.FS) done here; the arithmetic itself
 * in {@link hv.cpu.fp}.
 *
 * <p>Unprivileged spec 14.2: a single in an f register is valid only if NaN-boxed (upper 32 bits all
 * ones); any other value reads as the canonical NaN. 14.1/15.x: a dynamic rounding mode uses frm,
 * and rm 5/6 (or frm 5..7 when dynamic) is an illegal instruction. Privileged 3.1.6.6: with
 * mstatus.FS = Off every FP instruction is illegal; any change of f registers or fflags makes FS Dirty.
 */
final class Fpu {
    private Fpu() {
    }

    /**
     * Loads this class and the arithmetic it calls. Hart does this at class initialisation: if the
     * JIT compiles the interpreter before any FP instruction ran, an unloaded callee would be compiled
     * as a deoptimisation trap, and the first FP instruction would throw the compiled code away.
     */
    static void load() {
        Fp32.class.getName();
        Fp64.class.getName();
    }

    static final int CANONICAL_NAN_S = 0x7fc0_0000;
    static final long BOX = 0xffff_ffff_0000_0000L;

    /** The single held in a 64-bit f register (NaN-boxing check). */
    static int unbox(long v) {
        return (v & BOX) == BOX ? (int) v : CANONICAL_NAN_S;
    }

    static long box(int s) {
        return BOX | (s & 0xffff_ffffL);
    }

    private static int rm(Hart h, long e) {
        int rm = (int) imm(e);
        if (rm == 7) {
            rm = h.frm;
            if (rm > 4) {
                throw h.illegal();
            }
        }
        return rm;
    }

    static void execute(Hart h, long e) {
        h.requireFpu();
        final long[] f = h.f;
        final long[] x = h.x;
        final FpFlags fl = h.fpFlags;
        final int rd = rd(e);
        final long a = f[rs1(e)], b = f[rs2(e)];
        boolean writesF = true;
        switch (op(e)) {
            // ---------------- single ----------------
            case FADD_S -> f[rd] = box(Fp32.add(unbox(a), unbox(b), rm(h, e), fl));
            case FSUB_S -> f[rd] = box(Fp32.sub(unbox(a), unbox(b), rm(h, e), fl));
            case FMUL_S -> f[rd] = box(Fp32.mul(unbox(a), unbox(b), rm(h, e), fl));
            case FDIV_S -> f[rd] = box(Fp32.div(unbox(a), unbox(b), rm(h, e), fl));
            case FSQRT_S -> f[rd] = box(Fp32.sqrt(unbox(a), rm(h, e), fl));
            case FSGNJ_S -> f[rd] = box((unbox(a) & 0x7fff_ffff) | (unbox(b) & 0x8000_0000));
            case FSGNJN_S -> f[rd] = box((unbox(a) & 0x7fff_ffff) | (~unbox(b) & 0x8000_0000));
            case FSGNJX_S -> f[rd] = box(unbox(a) ^ (unbox(b) & 0x8000_0000));
            case FMIN_S -> f[rd] = box(Fp32.min(unbox(a), unbox(b), fl));
            case FMAX_S -> f[rd] = box(Fp32.max(unbox(a), unbox(b), fl));
            case FCVT_W_S -> {
                x[rd] = Fp32.toInt32(unbox(a), rm(h, e), fl);
                writesF = false;
            }
            case FCVT_WU_S -> {
                x[rd] = Fp32.toUint32(unbox(a), rm(h, e), fl);
                writesF = false;
            }
            case FCVT_L_S -> {
                x[rd] = Fp32.toInt64(unbox(a), rm(h, e), fl);
                writesF = false;
            }
            case FCVT_LU_S -> {
                x[rd] = Fp32.toUint64(unbox(a), rm(h, e), fl);
                writesF = false;
            }
            case FMV_X_W -> {
                x[rd] = (int) a; // the raw low 32 bits, sign-extended; no NaN-box check (spec 14.8)
                writesF = false;
            }
            case FCLASS_S -> {
                x[rd] = Fp32.classify(unbox(a));
                writesF = false;
            }
            case FEQ_S -> {
                x[rd] = Fp32.eq(unbox(a), unbox(b), fl);
                writesF = false;
            }
            case FLT_S -> {
                x[rd] = Fp32.lt(unbox(a), unbox(b), fl);
                writesF = false;
            }
            case FLE_S -> {
                x[rd] = Fp32.le(unbox(a), unbox(b), fl);
                writesF = false;
            }
            case FCVT_S_W -> f[rd] = box(Fp32.fromInt32(x[rs1(e)], rm(h, e), fl));
            case FCVT_S_WU -> f[rd] = box(Fp32.fromUint32(x[rs1(e)], rm(h, e), fl));
            case FCVT_S_L -> f[rd] = box(Fp32.fromInt64(x[rs1(e)], rm(h, e), fl));
            case FCVT_S_LU -> f[rd] = box(Fp32.fromUint64(x[rs1(e)], rm(h, e), fl));
            case FMV_W_X -> f[rd] = box((int) x[rs1(e)]);
            case FMADD_S -> f[rd] = box(Fp32.fmadd(unbox(a), unbox(b), unbox(f[rs3(e)]), rm(h, e), fl));
            case FMSUB_S -> f[rd] = box(Fp32.fmsub(unbox(a), unbox(b), unbox(f[rs3(e)]), rm(h, e), fl));
            case FNMSUB_S -> f[rd] = box(Fp32.fnmsub(unbox(a), unbox(b), unbox(f[rs3(e)]), rm(h, e), fl));
            case FNMADD_S -> f[rd] = box(Fp32.fnmadd(unbox(a), unbox(b), unbox(f[rs3(e)]), rm(h, e), fl));
            // ---------------- double ----------------
            case FADD_D -> f[rd] = Fp64.add(a, b, rm(h, e), fl);
            case FSUB_D -> f[rd] = Fp64.sub(a, b, rm(h, e), fl);
            case FMUL_D -> f[rd] = Fp64.mul(a, b, rm(h, e), fl);
            case FDIV_D -> f[rd] = Fp64.div(a, b, rm(h, e), fl);
            case FSQRT_D -> f[rd] = Fp64.sqrt(a, rm(h, e), fl);
            case FSGNJ_D -> f[rd] = (a & Long.MAX_VALUE) | (b & Long.MIN_VALUE);
            case FSGNJN_D -> f[rd] = (a & Long.MAX_VALUE) | (~b & Long.MIN_VALUE);
            case FSGNJX_D -> f[rd] = a ^ (b & Long.MIN_VALUE);
            case FMIN_D -> f[rd] = Fp64.min(a, b, fl);
            case FMAX_D -> f[rd] = Fp64.max(a, b, fl);
            case FCVT_W_D -> {
                x[rd] = Fp64.toInt32(a, rm(h, e), fl);
                writesF = false;
            }
            case FCVT_WU_D -> {
                x[rd] = Fp64.toUint32(a, rm(h, e), fl);
                writesF = false;
            }
            case FCVT_L_D -> {
                x[rd] = Fp64.toInt64(a, rm(h, e), fl);
                writesF = false;
            }
            case FCVT_LU_D -> {
                x[rd] = Fp64.toUint64(a, rm(h, e), fl);
                writesF = false;
            }
            case FMV_X_D -> {
                x[rd] = a;
                writesF = false;
            }
            case FCLASS_D -> {
                x[rd] = Fp64.classify(a);
                writesF = false;
            }
            case FEQ_D -> {
                x[rd] = Fp64.eq(a, b, fl);
                writesF = false;
            }
            case FLT_D -> {
                x[rd] = Fp64.lt(a, b, fl);
                writesF = false;
            }
            case FLE_D -> {
                x[rd] = Fp64.le(a, b, fl);
                writesF = false;
            }
            case FCVT_D_W -> f[rd] = Fp64.fromInt32(x[rs1(e)], rm(h, e), fl);
            case FCVT_D_WU -> f[rd] = Fp64.fromUint32(x[rs1(e)], rm(h, e), fl);
            case FCVT_D_L -> f[rd] = Fp64.fromInt64(x[rs1(e)], rm(h, e), fl);
            case FCVT_D_LU -> f[rd] = Fp64.fromUint64(x[rs1(e)], rm(h, e), fl);
            case FMV_D_X -> f[rd] = x[rs1(e)];
            case FMADD_D -> f[rd] = Fp64.fmadd(a, b, f[rs3(e)], rm(h, e), fl);
            case FMSUB_D -> f[rd] = Fp64.fmsub(a, b, f[rs3(e)], rm(h, e), fl);
            case FNMSUB_D -> f[rd] = Fp64.fnmsub(a, b, f[rs3(e)], rm(h, e), fl);
            case FNMADD_D -> f[rd] = Fp64.fnmadd(a, b, f[rs3(e)], rm(h, e), fl);
            case FCVT_S_D -> f[rd] = box(Fp64.toFp32(a, rm(h, e), fl));
            case FCVT_D_S -> f[rd] = Fp32.toFp64(unbox(a), fl);
            default -> throw h.illegal();
        }
        int flags = fl.bits;
        if (flags != 0) {
            fl.bits = 0;
            h.fflags |= flags & 31;
            writesF = true;
        }
        if (writesF) {
            h.mstatus |= Csr.MSTATUS_FS_DIRTY;
        }
    }
}
