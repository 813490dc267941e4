// Delegation to S, a vectored S-mode software interrupt, an exception from U delegated to S,
// and sepc/scause/sstatus.SPP as the handler sees them. EXPECT-EXIT: 0
#include "test.h"
TEST_BEGIN
    la      t0, s_vectors
    ori     t0, t0, 1                // vectored
    csrw    stvec, t0
    li      t0, (1 << 8) | (1 << 2)  // ecall from U, illegal instruction -> S
    csrw    medeleg, t0
    li      t0, 2                    // SSI -> S
    csrw    mideleg, t0
    csrw    mie, t0                  // SSIE
    ENTER_SMODE in_s
in_s:
    li      s0, 0
    csrsi   sstatus, 2               // SIE
    csrsi   sip, 2                   // SSIP: taken right away, at vector 1
    nop
    ASSERT_EQ s0, 1, 1
    csrci   sstatus, 2
    ENTER_UMODE_FROM_S in_u
in_u:
    li      s1, 0
    .word   0                        // illegal -> S (delegated), handler skips it
    ASSERT_EQ s1, 2, 2
u_ecall:
    ecall                            // -> S, cause 8
    FAIL(3)

    .align 2
    .option push
    .option norvc                    // vector entries are 4 bytes apart
s_vectors:
    j       s_exception              // exceptions use the base
    j       s_software               // cause 1: SSI
    .option pop
    FAIL(4)

s_software:
    csrci   sip, 2
    csrr    t0, scause
    li      t1, (1 << 63) | 1
    bne     t0, t1, bad_cause
    li      s0, 1
    sret

s_exception:
    csrr    t0, scause
    li      t1, 2
    beq     t0, t1, s_illegal
    ASSERT_EQ t0, 8, 5
    csrr    t0, sepc
    la      t1, u_ecall
    ASSERT_EQ_REG t0, t1, 6
    csrr    t0, sstatus
    andi    t0, t0, SSTATUS_SPP
    ASSERT_EQ t0, 0, 7               // came from U
    EXIT_ECALL 0                     // ecall from S: not delegated, to M: pass

s_illegal:
    csrr    t0, stval
    ASSERT_EQ t0, 0, 8               // the instruction bits: all zero
    li      s1, 2
    csrr    t0, sepc
    addi    t0, t0, 4
    csrw    sepc, t0
    sret

bad_cause:
    FAIL(9)
TEST_END
