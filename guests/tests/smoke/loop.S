// Integer loop: sum 1..1000 = 500500, and a multiply-accumulate chain. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    li   s0, 0           // sum
    li   s1, 1           // i
    li   s2, 1000
1:  add  s0, s0, s1
    addi s1, s1, 1
    ble  s1, s2, 1b
    ASSERT_EQ s0, 500500, 1

    // x = x * 3 + 1 (mod 2^64), 100 times from 0: closed form (3^100 - 1) / 2 mod 2^64
    li   s3, 0
    li   s4, 100
    li   s5, 3
2:  mul  s3, s3, s5
    addi s3, s3, 1
    addi s4, s4, -1
    bnez s4, 2b
    ASSERT_EQ s3, 0xeb4a3eaae79c09e8, 2
    PASS
TEST_END
