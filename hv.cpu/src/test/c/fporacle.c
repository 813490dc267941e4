/*
 * Reference oracle for HV's hv.cpu.fp: executes single RISC-V F/D instructions on real RISC-V
 * semantics (run under qemu-riscv64, or on hardware) and prints result bits and fflags.
 *
 * stdin, one case per line:   OP RM A B C      (OP a name below, RM 0..4, A B C hex)
 * stdout, one line per case:  RESULT FLAGS     (RESULT 16 hex digits, FLAGS 2 hex digits)
 *
 * Single-precision operands are the low 32 bits of A/B/C, moved with fmv.w.x (which NaN-boxes);
 * single results are read back with fmv.x.w and given as the low 32 bits. Integer results of
 * compares, fclass and fcvt.{w,wu,l,lu} are the full 64-bit rd value.
 *
 * Built by hv.cpu's FpDifferentialTest with: riscv64-linux-gnu-gcc -static -O2
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t (*op_fn)(uint64_t, uint64_t, uint64_t);

#define FR3(NAME, MV, INSN, OUT)                                                          \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r;                                                                       \
        __asm__ volatile(MV " ft0, %1\n\t" MV " ft1, %2\n\t" MV " ft2, %3\n\t"           \
                         INSN " ft3, ft0, ft1, ft2\n\t" OUT " %0, ft3"                    \
                         : "=r"(r) : "r"(a), "r"(b), "r"(c) : "ft0", "ft1", "ft2", "ft3"); \
        return r;                                                                         \
    }
#define FR2(NAME, MV, INSN, OUT)                                                          \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r; (void)c;                                                              \
        __asm__ volatile(MV " ft0, %1\n\t" MV " ft1, %2\n\t"                             \
                         INSN " ft3, ft0, ft1\n\t" OUT " %0, ft3"                         \
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft3");               \
        return r;                                                                         \
    }
#define FR1(NAME, MV, INSN, OUT)                                                          \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(MV " ft0, %1\n\t" INSN " ft3, ft0\n\t" OUT " %0, ft3"           \
                         : "=r"(r) : "r"(a) : "ft0", "ft3");                              \
        return r;                                                                         \
    }
/* FP operands, integer result */
#define XR2(NAME, MV, INSN)                                                               \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r; (void)c;                                                              \
        __asm__ volatile(MV " ft0, %1\n\t" MV " ft1, %2\n\t" INSN " %0, ft0, ft1"        \
                         : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1");                      \
        return r;                                                                         \
    }
#define XR1(NAME, MV, INSN)                                                               \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(MV " ft0, %1\n\t" INSN " %0, ft0" : "=r"(r) : "r"(a) : "ft0");  \
        return r;                                                                         \
    }
/* integer operand, FP result */
#define FX1(NAME, INSN, OUT)                                                              \
    static uint64_t NAME(uint64_t a, uint64_t b, uint64_t c) {                            \
        uint64_t r; (void)b; (void)c;                                                     \
        __asm__ volatile(INSN " ft3, %1\n\t" OUT " %0, ft3" : "=r"(r) : "r"(a) : "ft3");  \
        return r;                                                                         \
    }

#define D "fmv.d.x"
#define S "fmv.w.x"
#define DO "fmv.x.d"
#define SO "fmv.x.w"

FR2(d_add, D, "fadd.d", DO)   FR2(s_add, S, "fadd.s", SO)
FR2(d_sub, D, "fsub.d", DO)   FR2(s_sub, S, "fsub.s", SO)
FR2(d_mul, D, "fmul.d", DO)   FR2(s_mul, S, "fmul.s", SO)
FR2(d_div, D, "fdiv.d", DO)   FR2(s_div, S, "fdiv.s", SO)
FR1(d_sqrt, D, "fsqrt.d", DO) FR1(s_sqrt, S, "fsqrt.s", SO)
FR3(d_fmadd, D, "fmadd.d", DO)   FR3(s_fmadd, S, "fmadd.s", SO)
FR3(d_fmsub, D, "fmsub.d", DO)   FR3(s_fmsub, S, "fmsub.s", SO)
FR3(d_fnmsub, D, "fnmsub.d", DO) FR3(s_fnmsub, S, "fnmsub.s", SO)
FR3(d_fnmadd, D, "fnmadd.d", DO) FR3(s_fnmadd, S, "fnmadd.s", SO)
FR2(d_min, D, "fmin.d", DO)   FR2(s_min, S, "fmin.s", SO)
FR2(d_max, D, "fmax.d", DO)   FR2(s_max, S, "fmax.s", SO)
XR2(d_eq, D, "feq.d")         XR2(s_eq, S, "feq.s")
XR2(d_lt, D, "flt.d")         XR2(s_lt, S, "flt.s")
XR2(d_le, D, "fle.d")         XR2(s_le, S, "fle.s")
XR1(d_class, D, "fclass.d")   XR1(s_class, S, "fclass.s")
XR1(d_cvt_w, D, "fcvt.w.d")   XR1(s_cvt_w, S, "fcvt.w.s")
XR1(d_cvt_wu, D, "fcvt.wu.d") XR1(s_cvt_wu, S, "fcvt.wu.s")
XR1(d_cvt_l, D, "fcvt.l.d")   XR1(s_cvt_l, S, "fcvt.l.s")
XR1(d_cvt_lu, D, "fcvt.lu.d") XR1(s_cvt_lu, S, "fcvt.lu.s")
FX1(d_from_w, "fcvt.d.w", DO)   FX1(s_from_w, "fcvt.s.w", SO)
FX1(d_from_wu, "fcvt.d.wu", DO) FX1(s_from_wu, "fcvt.s.wu", SO)
FX1(d_from_l, "fcvt.d.l", DO)   FX1(s_from_l, "fcvt.s.l", SO)
FX1(d_from_lu, "fcvt.d.lu", DO) FX1(s_from_lu, "fcvt.s.lu", SO)
FR1(d_to_s, D, "fcvt.s.d", SO)  FR1(s_to_d, S, "fcvt.d.s", DO)

static const struct { const char *name; op_fn fn; int single_result; } OPS[] = {
    {"d.add", d_add, 0}, {"d.sub", d_sub, 0}, {"d.mul", d_mul, 0}, {"d.div", d_div, 0},
    {"d.sqrt", d_sqrt, 0}, {"d.fmadd", d_fmadd, 0}, {"d.fmsub", d_fmsub, 0},
    {"d.fnmsub", d_fnmsub, 0}, {"d.fnmadd", d_fnmadd, 0}, {"d.min", d_min, 0},
    {"d.max", d_max, 0}, {"d.eq", d_eq, 0}, {"d.lt", d_lt, 0}, {"d.le", d_le, 0},
    {"d.class", d_class, 0}, {"d.cvt.w", d_cvt_w, 0}, {"d.cvt.wu", d_cvt_wu, 0},
    {"d.cvt.l", d_cvt_l, 0}, {"d.cvt.lu", d_cvt_lu, 0}, {"d.from.w", d_from_w, 0},
    {"d.from.wu", d_from_wu, 0}, {"d.from.l", d_from_l, 0}, {"d.from.lu", d_from_lu, 0},
    {"d.to.s", d_to_s, 1},
    {"s.add", s_add, 1}, {"s.sub", s_sub, 1}, {"s.mul", s_mul, 1}, {"s.div", s_div, 1},
    {"s.sqrt", s_sqrt, 1}, {"s.fmadd", s_fmadd, 1}, {"s.fmsub", s_fmsub, 1},
    {"s.fnmsub", s_fnmsub, 1}, {"s.fnmadd", s_fnmadd, 1}, {"s.min", s_min, 1},
    {"s.max", s_max, 1}, {"s.eq", s_eq, 0}, {"s.lt", s_lt, 0}, {"s.le", s_le, 0},
    {"s.class", s_class, 0}, {"s.cvt.w", s_cvt_w, 0}, {"s.cvt.wu", s_cvt_wu, 0},
    {"s.cvt.l", s_cvt_l, 0}, {"s.cvt.lu", s_cvt_lu, 0}, {"s.from.w", s_from_w, 1},
    {"s.from.wu", s_from_wu, 1}, {"s.from.l", s_from_l, 1}, {"s.from.lu", s_from_lu, 1},
    {"s.to.d", s_to_d, 0},
};

int main(void) {
    char name[32];
    unsigned rm;
    unsigned long long a, b, c;
    while (scanf("%31s %u %llx %llx %llx", name, &rm, &a, &b, &c) == 5) {
        size_t i, n = sizeof OPS / sizeof OPS[0];
        for (i = 0; i < n && strcmp(OPS[i].name, name) != 0; i++) {
        }
        if (i == n || rm > 4) {
            printf("ERROR %s %u\n", name, rm);
            continue;
        }
        uint64_t r, fl;
        __asm__ volatile("fsrm %0\n\tfsflags x0" : : "r"((uint64_t)rm));
        r = OPS[i].fn(a, b, c);
        __asm__ volatile("frflags %0" : "=r"(fl));
        if (OPS[i].single_result) {
            r &= 0xffffffffull;
        }
        printf("%016llx %02llx\n", (unsigned long long)r, (unsigned long long)fl);
    }
    return 0;
}
