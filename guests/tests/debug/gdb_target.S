// A program for debugger tests (hv.hosts.debug): runs straight through and passes on its own;
// a debugger can make it spin (spin_flag), stop in a hot loop (hot_mid), change the result
// check_result sees (a0: the exit status becomes a0 - 16), and find hart 1 counting in
// secondary_loop (with --cpus 2). EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    li   s2, 0
    .globl spin
spin:                       // spins while a debugger keeps spin_flag set (Ctrl-C tests)
    la   t0, spin_flag
    ld   t1, 0(t0)
    addi s2, s2, 1
    bnez t1, spin

    li   s3, 0              // a hot loop: the JIT translates it; s3 counts the iterations
    li   s4, 1000
hot_loop:
    addi s3, s3, 1
    .globl hot_mid
hot_mid:                    // not a block start: a breakpoint in the middle of a region
    addi s5, s3, 7
    blt  s3, s4, hot_loop

    li   a0, 5
    call triple_plus_one    // a0 = 16
    .globl check_result
check_result:
    addi a0, a0, -16
    beqz a0, result_ok      // (no numeric label: FAIL_REG has a `1:` of its own)
    FAIL_REG a0             // a debugger that changed a0 here changes the exit status
result_ok:
    PASS

    .globl triple_plus_one
triple_plus_one:
    slli t0, a0, 1
    add  a0, a0, t0
    addi a0, a0, 1
    ret

    .globl test_secondary
test_secondary:             // other harts count forever (hart 0 ends the program)
    la   t0, hart1_count
    .globl secondary_loop
secondary_loop:
    ld   t1, 0(t0)
    addi t1, t1, 1
    sd   t1, 0(t0)
    j    secondary_loop
TEST_END

    .data
    .align 3
    .globl spin_flag, magic, hart1_count
spin_flag:   .dword 0
magic:       .dword 0x1122334455667788
hart1_count: .dword 0
