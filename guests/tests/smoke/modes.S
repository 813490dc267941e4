// Enter S-mode, then U-mode, and end from U-mode with an exit ecall. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    ENTER_SMODE in_s
in_s:
    csrr t0, sstatus          // legal in S-mode
    ENTER_UMODE_FROM_S in_u
in_u:
    EXIT_ECALL 0
TEST_END
