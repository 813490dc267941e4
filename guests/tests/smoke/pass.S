// The smallest test: passes at once. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    PASS
TEST_END
