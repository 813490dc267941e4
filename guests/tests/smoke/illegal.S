// An unexpected trap (illegal instruction, mcause 2) fails with 128 + 2. EXPECT-EXIT: 130
#include "test.h"
TEST_BEGIN
    .word 0                   // the all-zero instruction is illegal
    PASS
TEST_END
