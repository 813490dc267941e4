// Must fail with code 3: proves the FAIL channel carries the code. EXPECT-EXIT: 3
#include "test.h"
TEST_BEGIN
    FAIL(3)
TEST_END
