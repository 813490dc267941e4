// AMOs in W and D form and an LR/SC loop. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    la      s0, data
    li      t0, 5
    amoadd.d t1, t0, (s0)            // mem 10 -> 15
    ASSERT_EQ t1, 10, 1
    ld      t2, 0(s0)
    ASSERT_EQ t2, 15, 2
    li      t0, -1
    amominu.d t1, t0, (s0)           // unsigned min(15, max) = 15
    ld      t2, 0(s0)
    ASSERT_EQ t2, 15, 3
    amomin.d t1, t0, (s0)            // signed min = -1
    ld      t2, 0(s0)
    ASSERT_EQ t2, -1, 4
    li      t0, 0x0f
    amoand.d t1, t0, (s0)
    ld      t2, 0(s0)
    ASSERT_EQ t2, 0x0f, 5
    addi    s2, s0, 8
    li      t0, 0x80000000
    amoswap.w t1, t0, (s2)          // word: old 0x7fffffff
    ASSERT_EQ t1, 0x7fffffff, 6
    amomax.w t1, zero, (s2)         // 0x80000000 is negative: max = 0
    ASSERT_EQ t1, -0x80000000, 7
    lw      t2, 0(s2)
    ASSERT_EQ t2, 0, 8
    li      t0, 3
    amoor.w t1, t0, (s2)
    amoxor.w t1, t0, (s2)
    ASSERT_EQ t1, 3, 9
    lw      t2, 0(s2)
    ASSERT_EQ t2, 0, 10
    li      t0, -2
    amomaxu.w t1, t0, (s2)
    lw      t2, 0(s2)
    ASSERT_EQ t2, -2, 11
    // LR/SC increment loop
    li      s1, 100
1:  lr.d    t0, (s0)
    addi    t0, t0, 1
    sc.d    t1, t0, (s0)
    bnez    t1, 1b
    addi    s1, s1, -1
    bnez    s1, 1b
    ld      t2, 0(s0)
    ASSERT_EQ t2, 0x0f + 100, 12
    sc.d    t1, t0, (s0)             // no reservation now
    ASSERT_EQ t1, 1, 13
    PASS

    .data
    .align 3
data:
    .dword 10
    .word 0x7fffffff
    .word 0
TEST_END
