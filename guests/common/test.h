/*
 * test.h: assembler macros for HV's bare-metal test guests (include from a .S file).
 *
 * A test looks like:
 *
 *     #include "test.h"
 *     TEST_BEGIN
 *         li   a0, 2
 *         addi a0, a0, 1
 *         ASSERT_EQ a0, 3, 1        // on mismatch: FAIL(1)
 *         PASS
 *     TEST_END
 *
 * Verdicts (two channels, so the same source runs on HV and on QEMU):
 *   - default build: HTIF `tohost` (RISC-V ISA test / Spike convention): PASS stores 1,
 *     FAIL(n) stores (n << 1) | 1. HV's `run --bios none --kernel X.elf` exits with status n.
 *   - built with -DQEMU_EXIT: the SiFive test finisher ("syscon") at 0x100000, which both
 *     QEMU's virt machine and HV implement: PASS stores 0x5555, FAIL(n) stores
 *     (n << 16) | 0x3333, and QEMU exits with status n. Keep n in 1..255 (an exit status).
 *
 * Machine state when the test body starts (hart 0, M-mode):
 *   sp = this hart's stack top; gp = __global_pointer$; mtvec = test_trap_handler (direct);
 *   mstatus.FS = Initial (FP usable), fcsr = 0; medeleg = mideleg = mie = 0;
 *   PMP entry 0 = NAPOT over the whole address space, RWX, so S- and U-mode may touch all
 *   memory (on a hart without PMP the writes are ignored or trap and are skipped).
 * Other harts (mhartid != 0) park in a WFI loop, unless the test defines a global label
 * `test_secondary`: then they jump there, with their own stack, a0 = mhartid.
 *
 * A test that expects traps installs its own handler (csrw mtvec, ...).
 * Unexpected traps end the test: an exception fails with 128 + mcause, an interrupt with
 * 192 + cause. Exception: an `ecall` (from any mode) with a7 == 93 (the Linux exit number)
 * is an exit request: a0 == 0 passes, otherwise fails with a0. So code running in S or U
 * mode under paging, which may not be able to reach tohost, can end the test with EXIT_ECALL.
 *
 * Registers: the macros below use t5/t6 as scratch (and a0/a7 for EXIT_ECALL); a test that
 * keeps values across them should use other registers.
 */
#ifndef HV_TEST_H
#define HV_TEST_H

#define TEST_STACK_SHIFT 14          /* 16 KiB per hart; matches HV_STACK_SIZE in link.ld */
#define SYSCON_ADDR      0x100000
#define SYSCON_PASS      0x5555
#define SYSCON_FAIL      0x3333

#define MSTATUS_MPP_MASK (3 << 11)
#define MSTATUS_MPP_S    (1 << 11)
#define MSTATUS_MPP_U    (0 << 11)
#define MSTATUS_FS_INIT  (1 << 13)
#define SSTATUS_SPP      (1 << 8)

#define CAUSE_FAIL_BASE     128
#define INTERRUPT_FAIL_BASE 192
#define EXIT_ECALL_NR       93

/* C-style spellings: PASS, FAIL(n). */
#define PASS    TEST_PASS
#define FAIL(n) TEST_FAIL n

#ifdef QEMU_EXIT
/* hv_report_pass / hv_report_fail (code n in t5, n != 0): via the syscon finisher. */
.macro hv_report_pass
    li   t5, SYSCON_ADDR
    li   t6, SYSCON_PASS
    sw   t6, 0(t5)
.endm
.macro hv_report_fail
    slli t6, t5, 16
    li   t5, SYSCON_FAIL
    or   t6, t6, t5
    li   t5, SYSCON_ADDR
    sw   t6, 0(t5)
.endm
#else
/* hv_report_pass / hv_report_fail (code n in t5, n != 0): via HTIF tohost. */
.macro hv_report_pass
    li   t6, 1
    la   t5, tohost
    sd   t6, 0(t5)
.endm
.macro hv_report_fail
    slli t6, t5, 1
    ori  t6, t6, 1
    la   t5, tohost
    sd   t6, 0(t5)
.endm
#endif

/* PASS: report success, then wait forever (the VMM stops the hart). */
.macro TEST_PASS
    fence
    hv_report_pass
1:  wfi
    j    1b
.endm

/* FAIL n: report failure with code n (an immediate, 1..255 for QEMU). */
.macro TEST_FAIL code
    fence
    li   t5, \code
    hv_report_fail
1:  wfi
    j    1b
.endm

/* FAIL_REG rs: report failure with the code in register rs (must not be 0 or t6). */
.macro FAIL_REG rs
    fence
    mv   t5, \rs
    hv_report_fail
1:  wfi
    j    1b
.endm

/* ASSERT_EQ rs, value, code: FAIL(code) unless rs == value (value: any `li` immediate). */
.macro ASSERT_EQ rs, value, code
    li   t6, \value
    beq  \rs, t6, 2f
    TEST_FAIL \code
2:
.endm

/* ASSERT_EQ_REG rs1, rs2, code: FAIL(code) unless rs1 == rs2. */
.macro ASSERT_EQ_REG rs1, rs2, code
    beq  \rs1, \rs2, 2f
    TEST_FAIL \code
2:
.endm

/* ENTER_SMODE label / ENTER_UMODE label: mret into S or U mode at label (from M-mode).
 * Traps still go to M-mode (medeleg = 0) unless the test delegates them. */
.macro hv_enter_mode mpp, label
    li   t5, MSTATUS_MPP_MASK
    csrc mstatus, t5
    li   t5, \mpp
    csrs mstatus, t5
    la   t5, \label
    csrw mepc, t5
    mret
.endm
.macro ENTER_SMODE label
    hv_enter_mode MSTATUS_MPP_S, \label
.endm
.macro ENTER_UMODE label
    hv_enter_mode MSTATUS_MPP_U, \label
.endm
/* ENTER_UMODE_FROM_S label: sret into U mode at label (from S-mode). */
.macro ENTER_UMODE_FROM_S label
    li   t5, SSTATUS_SPP
    csrc sstatus, t5
    la   t5, \label
    csrw sepc, t5
    sret
.endm

/* EXIT_ECALL code: end the test from any privilege mode through the M-mode trap handler. */
.macro EXIT_ECALL code
    li   a0, \code
    li   a7, EXIT_ECALL_NR
    ecall
.endm

/* The machine-state setup shared by TEST_BEGIN and the C runtime (crt.S). Ends with
 * hart 0 at label `test_body` is NOT assumed: falls through on hart 0. */
.macro hv_machine_init
    /* Probe-safe CSR setup: a trap here (CSR not implemented) just skips ahead. */
    la   t0, 3f
    csrw mtvec, t0
    li   t0, -1
    csrw pmpaddr0, t0
    li   t0, 0x1f                      /* pmp0cfg: NAPOT | X | W | R */
    csrw pmpcfg0, t0
    .align 2
3:  la   t0, test_trap_handler
    csrw mtvec, t0
    csrw mie, zero
    csrw medeleg, zero
    csrw mideleg, zero
    csrw satp, zero
    li   t0, MSTATUS_FS_INIT
    csrs mstatus, t0
    fscsr zero
    .option push
    .option norelax
    la   gp, __global_pointer$
    .option pop
    csrr a0, mhartid
    addi t0, a0, 1
    slli t0, t0, TEST_STACK_SHIFT
    la   sp, _stack_bottom
    add  sp, sp, t0
    beqz a0, 5f
    /* Secondary hart: jump to test_secondary if the test defines it, else park. */
    la   t0, 4f
    ld   t0, 0(t0)
    beqz t0, test_park
    jr   t0
    .align 3
4:  .dword test_secondary
5:
.endm

/* TEST_BEGIN: the entry point and the shared trap handler; the test body follows. */
.macro TEST_BEGIN
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    hv_machine_init
    j    test_main
    hv_test_support
test_main:
.endm

/* TEST_END: nothing is required after the body; kept for symmetry and future data. */
.macro TEST_END
.endm

/* Trap handler, park loop and the tohost/fromhost words: emitted once per program. */
.macro hv_test_support
    .weak test_secondary
    .globl test_park
    .align 2
test_park:
    wfi
    j    test_park

    .globl test_trap_handler
    .align 2
test_trap_handler:
    csrr t5, mcause
    bltz t5, 7f                        /* interrupt */
    /* ecall from U (8), S (9) or M (11) with a7 == 93: exit request */
    li   t6, 8
    beq  t5, t6, 6f
    li   t6, 9
    beq  t5, t6, 6f
    li   t6, 11
    beq  t5, t6, 6f
    j    8f
6:  li   t6, EXIT_ECALL_NR
    bne  a7, t6, 8f
    bnez a0, 9f
    TEST_PASS
9:  FAIL_REG a0
8:  addi t5, t5, CAUSE_FAIL_BASE
    FAIL_REG t5
7:  slli t5, t5, 1                     /* drop the interrupt bit */
    srli t5, t5, 1
    addi t5, t5, INTERRUPT_FAIL_BASE
    FAIL_REG t5

    .pushsection .tohost, "aw", @progbits
    .align 6
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost: .dword 0
    .align 6
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost: .dword 0
    .align 6
    .popsection
.endm

#endif /* HV_TEST_H */
