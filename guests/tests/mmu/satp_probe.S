// Linux's satp mode probing (Sv57, then Sv48, then Sv39) and satp's WARL MODE field.
// EXPECT-EXIT: 0
/*
 * Privileged spec 4.1.11: satp.MODE is WARL; writing an unsupported MODE leaves satp entirely
 * unchanged. Linux (arch/riscv/mm/init.c, set_satp_mode) relies on this: running in S-mode with
 * translation off, it writes satp with an identity-mapping Sv57 root, reads satp back, clears
 * it and flushes; if the value did not stick it tries Sv48, then falls back to Sv39. Here each
 * mode gets an identity-mapped root; the instructions after the satp write are fetched through
 * it, and a load through it must work while it is on.
 * Sv48 and Sv39 must stick; Sv57 may or may not (HV and QEMU 7.2 both implement it).
 * Reserved and unimplemented modes (1, 7, 11 = Sv64, 12, 15) leave satp unchanged, also while
 * a mode is active (the fetches that follow still use it). Also from M-mode.
 */
#define LEVELS 3
#include "test.h"
#include "mmu.h"

TEST_BEGIN
    MMU_INIT                                 /* s0: Sv39 identity root */
    SATP_OF s0, 0
    mv   s3, a0
    la   t0, mmu_levels
    li   t1, 4
    sd   t1, 0(t0)
    call mmu_new_space
    li   a1, 0
    call mmu_satp
    mv   s2, a0                              /* Sv48 */
    la   t0, mmu_levels
    li   t1, 5
    sd   t1, 0(t0)
    call mmu_new_space
    li   a1, 0
    call mmu_satp
    mv   s1, a0                              /* Sv57 */
    FILL_MARKERS 0, 1
    la   t1, probe_word
    li   t2, 0x600df00d
    sd   t2, 0(t1)

    /* From M-mode: the same WARL rule (M-mode itself is not translated). */
    csrw satp, s2
    csrr t0, satp
    CHECK_REG t0, s2, 30
    li   t1, 1 << SATP_MODE_SHIFT
    li   t2, 0x0fffffffffffffff
    and  t2, s2, t2
    or   t1, t1, t2
    csrw satp, t1                            /* mode 1: ignored */
    csrr t0, satp
    CHECK_REG t0, s2, 31
    csrw satp, zero
    csrr t0, satp
    CHECK t0, 0, 32

    ENTER_SMODE s_main
s_main:
    la   s4, probe_word
    /* --- Sv57: sticks or not, nothing else --- */
    csrw satp, s1
    ld   t2, 0(s4)
    csrrw t0, satp, zero
    sfence.vma
    li   s5, 0
    beq  t0, s1, 1f
    CHECK t0, 0, 1
    j    2f
1:  li   s5, 1                               /* Sv57 supported */
    CHECK t2, 0x600df00d, 2
2:
    /* --- Sv48 --- */
    csrw satp, s2
    ld   t2, 0(s4)
    csrrw t0, satp, zero
    sfence.vma
    CHECK_REG t0, s2, 3
    CHECK t2, 0x600df00d, 4
    /* --- Sv39 --- */
    csrw satp, s3
    ld   t2, 0(s4)
    csrrw t0, satp, zero
    sfence.vma
    CHECK_REG t0, s3, 5
    CHECK t2, 0x600df00d, 6

    /* --- unsupported modes leave satp (and the translation) as they were --- */
    csrw satp, s3
    li   t2, 0x0fffffffffffffff
    and  s6, s3, t2                          /* ASID and PPN of the Sv39 value */
    li   s7, 1
    jal  try_mode
    CHECK_REG t0, s3, 7
    li   s7, 7
    jal  try_mode
    CHECK_REG t0, s3, 8
    li   s7, 11
    jal  try_mode
    CHECK_REG t0, s3, 9
    li   s7, 12
    jal  try_mode
    CHECK_REG t0, s3, 10
    li   s7, 15
    jal  try_mode
    CHECK_REG t0, s3, 11
    bnez s5, 3f
    li   s7, 10                              /* Sv57, when it is not implemented */
    jal  try_mode
    CHECK_REG t0, s3, 12
3:  ld   t2, 0(s4)
    CHECK t2, 0x600df00d, 13
    /* a supported mode replaces it */
    csrw satp, s2
    csrr t0, satp
    CHECK_REG t0, s2, 14
    ld   t2, 0(s4)
    CHECK t2, 0x600df00d, 15
    csrw satp, zero
    csrr t0, satp
    CHECK t0, 0, 16
    sfence.vma
    EXIT_ECALL 0

/* try_mode: writes satp = (s7 << 60) | s6 and returns t0 = satp read back. */
try_mode:
    slli t0, s7, SATP_MODE_SHIFT
    or   t0, t0, s6
    csrw satp, t0
    csrr t0, satp
    ret

    .data
    .align 3
probe_word: .dword 0
    .text
TEST_END
MMU_SUPPORT
