// F/D register-file rules: NaN-boxing, the canonical NaN, flags, rounding modes, FS tracking.
// EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    // a double in f1 read as a single is the canonical NaN (not NaN-boxed)
    li      t0, 0x3ff0000000000000   // 1.0 as double
    fmv.d.x f1, t0
    fmv.s   f2, f1                   // fsgnj.s f2, f1, f1
    fmv.x.d t1, f2
    ASSERT_EQ t1, 0xffffffff7fc00000, 1
    fclass.s t1, f1
    ASSERT_EQ t1, 0x200, 2           // quiet NaN
    // flw NaN-boxes
    la      s0, data
    flw     f3, 0(s0)
    fmv.x.d t1, f3
    ASSERT_EQ t1, 0xffffffff3fc00000, 3   // 1.5f boxed
    // 1/3 in RNE vs RUP differs in the last bit; NX is raised
    csrw    fflags, zero
    li      t0, 0x3ff0000000000000
    fmv.d.x f4, t0
    li      t0, 0x4008000000000000   // 3.0
    fmv.d.x f5, t0
    fdiv.d  f6, f4, f5, rne
    fdiv.d  f7, f4, f5, rup
    fmv.x.d t1, f6
    fmv.x.d t2, f7
    addi    t1, t1, 1
    ASSERT_EQ_REG t1, t2, 4
    csrr    t1, fflags
    ASSERT_EQ t1, 1, 5               // NX only
    // a signaling NaN in flt raises NV; feq with a quiet NaN does not
    csrw    fflags, zero
    li      t0, 0x7ff0000000000001   // sNaN
    fmv.d.x f8, t0
    feq.d   t1, f8, f8
    ASSERT_EQ t1, 0, 6
    csrr    t1, fflags
    ASSERT_EQ t1, 16, 7              // sNaN in feq: NV
    csrw    fflags, zero
    li      t0, 0x7ff8000000000000   // qNaN
    fmv.d.x f9, t0
    feq.d   t1, f9, f9
    csrr    t1, fflags
    ASSERT_EQ t1, 0, 8
    flt.d   t1, f9, f9
    csrr    t1, fflags
    ASSERT_EQ t1, 16, 9
    // fcvt saturates with NV
    csrw    fflags, zero
    li      t0, 0xc3e0000000000001   // about -9.2e18 (below INT64_MIN)
    fmv.d.x f10, t0
    fcvt.l.d t1, f10, rtz
    ASSERT_EQ t1, 0x8000000000000000, 10
    fcvt.wu.d t1, f10, rtz
    ASSERT_EQ t1, 0, 11
    csrr    t1, fflags
    ASSERT_EQ t1, 16, 12
    // dynamic rounding from frm
    fsrmi   2                        // RDN
    li      t0, -7
    fcvt.s.l f11, t0
    li      t0, 0x40000000           // 2.0f
    fmv.w.x f12, t0
    fdiv.s  f13, f11, f12            // -3.5 exactly
    fcvt.w.s t1, f13                 // dynamic: RDN -> -4
    ASSERT_EQ t1, -4, 13
    fsrmi   0
    // fmin with -0/+0 and a quiet NaN operand
    fmv.d.x f14, zero
    li      t0, 0x8000000000000000
    fmv.d.x f15, t0
    fmin.d  f16, f14, f15
    fmv.x.d t1, f16
    ASSERT_EQ t1, 0x8000000000000000, 14
    fmax.d  f16, f9, f14             // max(qNaN, +0) = +0
    fmv.x.d t1, f16
    ASSERT_EQ t1, 0, 15
    // FS: Dirty and SD set after FP writes
    csrr    t1, mstatus
    srli    t2, t1, 13
    andi    t2, t2, 3
    ASSERT_EQ t2, 3, 16
    bgez    t1, sd_clear
    PASS
sd_clear:
    FAIL(17)

    .data
    .align 3
data:
    .word 0x3fc00000
TEST_END
