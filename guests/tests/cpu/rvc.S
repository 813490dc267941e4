// Every RV64C instruction class, assembled by GNU as (an encoder independent of HV's decoder),
// checked against values computed by hand. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    .option push
    .option rvc
    c.li    a0, 5
    c.addi  a0, 3
    ASSERT_EQ a0, 8, 1
    c.slli  a0, 2
    ASSERT_EQ a0, 32, 2
    c.mv    a1, a0
    c.add   a1, a0
    ASSERT_EQ a1, 64, 3
    c.lui   a2, 0x1f            // 0x1f000
    ASSERT_EQ a2, 0x1f000, 4
    c.lui   a2, 0xfffe1         // negative: sign-extended
    ASSERT_EQ a2, -0x1f000, 5
    li      a3, 0x7fffffff
    c.addiw a3, 1               // wraps to INT_MIN, sign-extended
    ASSERT_EQ a3, -0x80000000, 6
    li      a4, -64
    c.srai  a4, 3
    ASSERT_EQ a4, -8, 7
    c.srli  a4, 60
    ASSERT_EQ a4, 15, 8
    c.andi  a4, 6
    ASSERT_EQ a4, 6, 9
    li      a5, 10
    li      s0, 3
    c.sub   a5, s0
    ASSERT_EQ a5, 7, 10
    c.xor   a5, s0              // 7 ^ 3 = 4
    ASSERT_EQ a5, 4, 11
    c.or    a5, s0              // 7
    ASSERT_EQ a5, 7, 12
    c.and   a5, s0              // 3
    ASSERT_EQ a5, 3, 13
    li      a5, 0x80000000
    li      s0, 1
    c.subw  a5, s0              // 0x7fffffff
    ASSERT_EQ a5, 0x7fffffff, 14
    c.addw  a5, s0              // INT_MIN
    ASSERT_EQ a5, -0x80000000, 15

    // stack-relative and register-relative loads/stores
    c.addi16sp sp, -64
    li      a0, 0x1122334455667788
    c.sdsp  a0, 8(sp)
    c.ldsp  a1, 8(sp)
    ASSERT_EQ_REG a0, a1, 16
    c.swsp  a0, 16(sp)
    c.lwsp  a2, 16(sp)
    ASSERT_EQ a2, 0x55667788, 17
    c.addi4spn s1, sp, 24
    c.sd    a0, 0(s1)
    c.ld    a3, 0(s1)
    ASSERT_EQ_REG a0, a3, 18
    li      a0, 0x9abcdef0
    c.sw    a0, 4(s1)
    c.lw    a4, 4(s1)
    ASSERT_EQ a4, -0x65432110, 19         // 0x9abcdef0 sign-extended
    li      a0, 0x400921fb54442d18        // pi
    fmv.d.x fa0, a0
    c.fsdsp fa0, 32(sp)
    c.fldsp fa1, 32(sp)
    fmv.x.d a1, fa1
    ASSERT_EQ_REG a0, a1, 20
    c.fsd   fa0, 8(s1)
    c.fld   fa2, 8(s1)
    fmv.x.d a1, fa2
    ASSERT_EQ_REG a0, a1, 21
    c.addi16sp sp, 64

    // control flow
    li      a0, 0
    // (named labels: the FAIL macros use numeric local labels themselves)
    c.beqz  a0, beqz_taken
    FAIL(22)
beqz_taken:
    c.bnez  a0, bnez_wrong
    c.j     j_target
bnez_wrong:
    FAIL(23)
j_target:
    la      a1, jr_target
    c.jr    a1
    FAIL(24)
jr_target:
    la      a1, callee
    li      a2, 0
    c.jalr  a1
    ASSERT_EQ a2, 1, 25
    j       done
callee:
    li      a2, 1
    ret
done:
    c.nop
    .option pop
    PASS
TEST_END
