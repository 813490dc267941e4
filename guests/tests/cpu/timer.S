// A vectored machine timer interrupt through the CLINT (QEMU virt layout), woken from WFI,
// and a machine software interrupt (MSIP) taken with the right priority. EXPECT-EXIT: 0
#include "test.h"
#define CLINT_MSIP     0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME    0x200bff8
TEST_BEGIN
    la      t0, m_vectors
    ori     t0, t0, 1                // vectored
    csrw    mtvec, t0
    li      s0, 0
    // timer 1 ms (10000 ticks at 10 MHz) from now
    li      t0, CLINT_MTIME
    ld      t1, 0(t0)
    li      t2, 10000
    add     t1, t1, t2
    li      t0, CLINT_MTIMECMP
    sd      t1, 0(t0)
    li      t0, 1 << 7               // MTIE
    csrw    mie, t0
    csrsi   mstatus, 8               // MIE
wait:
    wfi
    beqz    s0, wait
    ASSERT_EQ s0, 7, 1               // handled by the timer vector
    // both MSIP and MTIP pending: MSI (3) has priority over MTI (7)
    csrci   mstatus, 8
    li      s0, 0
    li      t0, CLINT_MTIMECMP
    sd      zero, 0(t0)              // MTIP now
    li      t0, CLINT_MSIP
    li      t1, 1
    sw      t1, 0(t0)
    li      t0, (1 << 7) | (1 << 3)
    csrw    mie, t0
    csrsi   mstatus, 8
    nop
    ASSERT_EQ s0, 3, 2
    PASS

    .align 2
    .option push
    .option norvc
m_vectors:
    j       bad                      // 0: exceptions
    j       bad
    j       bad
    j       m_software               // 3: MSI
    j       bad
    j       bad
    j       bad
    j       m_timer                  // 7: MTI
    j       bad
    j       bad
    j       bad
    j       bad
    .option pop

m_timer:
    li      t0, CLINT_MTIMECMP
    li      t1, -1
    sd      t1, 0(t0)                // disarm
    li      s0, 7
    mret
m_software:
    li      t0, CLINT_MSIP
    sw      zero, 0(t0)
    li      s0, 3
    li      t0, 1 << 7
    csrc    mie, t0                  // the timer is still pending: keep it from firing after mret
    mret
bad:
    csrr    t0, mcause
    FAIL(9)
TEST_END
