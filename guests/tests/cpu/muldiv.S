// M extension edge cases (unprivileged spec table 13.1). EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    li      a0, 7
    li      a1, 0
    div     t0, a0, a1
    ASSERT_EQ t0, -1, 1
    rem     t0, a0, a1
    ASSERT_EQ t0, 7, 2
    divu    t0, a0, a1
    ASSERT_EQ t0, -1, 3
    remuw   t0, a0, a1
    ASSERT_EQ t0, 7, 4
    li      a0, 0x8000000000000000
    li      a1, -1
    div     t0, a0, a1
    ASSERT_EQ_REG t0, a0, 5
    rem     t0, a0, a1
    ASSERT_EQ t0, 0, 6
    li      a0, -0x80000000
    divw    t0, a0, a1
    ASSERT_EQ t0, -0x80000000, 7
    remw    t0, a0, a1
    ASSERT_EQ t0, 0, 8
    li      a0, -1
    li      a1, -1
    mulhu   t0, a0, a1
    ASSERT_EQ t0, -2, 9
    mulh    t0, a0, a1
    ASSERT_EQ t0, 0, 10
    mulhsu  t0, a0, a1
    ASSERT_EQ t0, -1, 11
    li      a0, 0x10000
    li      a1, 0x8000
    mulw    t0, a0, a1
    ASSERT_EQ t0, -0x80000000, 12
    li      a0, 0xfffffffe
    li      a1, 2
    divuw   t0, a0, a1
    ASSERT_EQ t0, 0x7fffffff, 13
    PASS
TEST_END
