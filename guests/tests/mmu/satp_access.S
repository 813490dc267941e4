// Who may touch satp and sfence.vma: S-mode, unless mstatus.TVM; never U-mode.
// EXPECT-EXIT: 0
/*
 * Privileged spec 3.1.6.5 (TVM: with TVM = 1, S-mode reads or writes of satp and SFENCE.VMA
 * raise illegal-instruction exceptions), 4.1.11 / 2.1 (satp is an S-level CSR: U-mode access
 * is illegal), 4.2.1 (SFENCE.VMA in U-mode is illegal). The traps go to M-mode (only page
 * faults are delegated); cause and epc are checked. After TVM is cleared, S-mode's satp
 * write takes effect (a new root is used) and the old one comes back.
 */
#define LEVELS 3
#include "test.h"
#include "mmu.h"

#define VA_X 0x40000000

TEST_BEGIN
    MMU_INIT
    FILL_MARKERS 0, 16
    MAP  VA_X, DATA_PAGE(0), K_RW, 0
    SATP_OF s0, 1
    mv   s1, a0
    call mmu_new_space
    mv   s0, a0
    MAP  VA_X, DATA_PAGE(1), K_RW, 0
    SATP_OF s0, 2
    mv   s2, a0
    csrw satp, s1
    sfence.vma
    li   t0, MSTATUS_TVM
    csrs mstatus, t0
    ENTER_SMODE s_main
s_main:
    /* --- TVM = 1 --- */
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 1, csrr t0, satp
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 2, csrw satp, s2
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 3, sfence.vma
    li   a1, VA_X
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 4, sfence.vma a1, zero
    ld   t0, 0(a1)                           /* the satp write above did not happen */
    CHECK t0, MARKER(0), 5
    /* --- TVM = 0 --- */
    li   a0, MSTATUS_TVM
    li   a7, ECALL_CLEAR_MSTATUS
    ecall
    csrr t0, satp
    CHECK_REG t0, s1, 6
    csrw satp, s2
    ld   t0, 0(a1)
    CHECK t0, MARKER(1), 7
    csrw satp, s1
    sfence.vma a1, zero
    ld   t0, 0(a1)
    CHECK t0, MARKER(0), 8
    ENTER_UMODE_FROM_S u_main

    USER_CODE
u_main:
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 40, csrr t0, satp
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 41, csrw satp, s2
    EXPECT_TRAP CAUSE_ILLEGAL_INSTRUCTION, 42, sfence.vma
    li   a1, USER_DATA_VA
    ld   t0, 0(a1)                           /* still under s1's space */
    CHECK t0, MARKER(15), 43
    EXIT_ECALL 0
    USER_CODE_END
TEST_END
MMU_SUPPORT
