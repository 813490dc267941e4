/*
 * crt.S: the tiny C runtime for bare-metal C guests (tests in guests/tests/ and the bare-metal
 * CPU benchmark). Same machine setup as TEST_BEGIN (see test.h), then: clear .bss, call
 * main(), and report its return value: 0 = PASS, n = FAIL(n). A C program can also end
 * itself early with hv_exit() (guests/common/hv.h).
 */
#include "test.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    hv_machine_init
    /* hart 0 only: clear .bss (secondaries never get here) */
    la   t0, __bss_start
    la   t1, __bss_end
1:  bgeu t0, t1, 2f
    sd   zero, 0(t0)
    addi t0, t0, 8
    j    1b
2:  li   a0, 0
    li   a1, 0
    call main
    /* fall into hv_exit(a0) */
    .globl hv_exit
hv_exit:
    beqz a0, 3f
    FAIL_REG a0
3:  TEST_PASS

    hv_test_support
