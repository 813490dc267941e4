// Zba/Zbb/Zbs as assembled by GNU as. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    li      a0, -1
    li      a1, 8
    add.uw  t0, a0, a1
    ASSERT_EQ t0, 0x100000007, 1
    sh3add  t0, a1, a1
    ASSERT_EQ t0, 72, 2
    sh2add.uw t0, a0, zero
    ASSERT_EQ t0, 0x3fffffffc, 3
    slli.uw t0, a0, 4
    ASSERT_EQ t0, 0xffffffff0, 4
    clz     t0, a1
    ASSERT_EQ t0, 60, 5
    ctzw    t0, a1
    ASSERT_EQ t0, 3, 6
    cpop    t0, a0
    ASSERT_EQ t0, 64, 7
    li      a2, 0x80
    sext.b  t0, a2
    ASSERT_EQ t0, -128, 8
    zext.h  t0, a0
    ASSERT_EQ t0, 0xffff, 9
    andn    t0, a0, a1
    ASSERT_EQ t0, -9, 10
    rori    t0, a1, 4
    ASSERT_EQ t0, 0x8000000000000000, 11
    roriw   t0, a1, 4
    ASSERT_EQ t0, -0x80000000, 12
    li      a3, 0x0102030405060708
    rev8    t0, a3
    ASSERT_EQ t0, 0x0807060504030201, 13
    li      a3, 0x0100000000008000
    orc.b   t0, a3
    ASSERT_EQ t0, 0xff0000000000ff00, 14
    maxu    t0, a0, a1
    ASSERT_EQ t0, -1, 15
    min     t0, a0, a1
    ASSERT_EQ t0, -1, 16
    bseti   t0, zero, 63
    ASSERT_EQ t0, 0x8000000000000000, 17
    bexti   t0, a1, 3
    ASSERT_EQ t0, 1, 18
    binv    t0, a1, a1
    ASSERT_EQ t0, 0x108, 19
    bclr    t0, a0, a1
    ASSERT_EQ t0, -257, 20
    PASS
TEST_END
