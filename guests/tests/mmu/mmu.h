/*
 * mmu.h: page-table building and fault-checking support for the MMU test guests in this
 * directory (include after test.h; invoke MMU_SUPPORT once, after the test body).
 *
 * A test defines LEVELS (3 = Sv39, 4 = Sv48, 5 = Sv57) before including this file, builds its
 * page tables in M-mode (Bare) with the helpers below, writes satp and enters S-mode.
 *
 * Physical layout (all inside the 16 MiB of RAM the unit-test machine has):
 *   0x80000000  the program (code, data, stacks), far below 2 MiB
 *   PT_POOL     0x80400000..0x80800000: page-table pages, handed out zeroed by mmu_alloc
 *   DATA_BASE   0x80800000..: data pages the tests map at various virtual addresses
 *               (page n = DATA_BASE + n * 4096; the M-mode code fills in markers)
 *
 * Every address space made by mmu_new_space maps (privileged spec 4.3-4.5):
 *   [0x80000000, 0x80200000)  identity, 4 KiB pages, S-only RWX (A, D set), except the pages of
 *                             section .text.user (user_begin..user_end): U, R, X
 *   [0x80200000, 0x80800000)  identity, 2 MiB pages, S-only RWX (so S code can edit PTEs)
 *   USER_DATA_VA              U, RW -> data page 15;   USER_RO_VA  U, R -> data page 14
 *
 * Traps: page faults (causes 12, 13, 15) are delegated to S-mode (medeleg), everything else
 * goes to M-mode. Both handlers follow one convention, so a fault can be provoked from S or U:
 *   s11 = recovery address (0: the trap is unexpected and ends the test)
 *   on an expected trap the handler sets s8 = xepc, s9 = xcause, s10 = xtval, resumes at s11
 *   (in the mode that trapped) and clears s11.
 * An unexpected S-mode trap ends the test with 64 + scause (an interrupt: 100). An ecall with
 * a7 == ECALL_SET_MEDELEG sets medeleg to a0 (so S code can move faults to M-mode and back);
 * with a7 == ECALL_CLEAR_MSTATUS it clears the mstatus bits set in a0.
 * Register use: s8-s11 as above; t5, t6 scratch (test.h); the helpers clobber t0-t4, a0-a7.
 */
#ifndef HV_MMU_H
#define HV_MMU_H

#ifndef LEVELS
#define LEVELS 3
#endif

#define PTE_V 0x01
#define PTE_R 0x02
#define PTE_W 0x04
#define PTE_X 0x08
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80
/* Common leaf flag sets (A and D preset, so hardware A/D handling never interferes). */
#define K_RWX  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define K_RW   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define K_R    (PTE_V | PTE_R | PTE_A)
#define K_X    (PTE_V | PTE_X | PTE_A)
#define K_RX   (PTE_V | PTE_R | PTE_X | PTE_A)
#define U_RW   (K_RW | PTE_U)
#define U_R    (K_R | PTE_U)
#define U_RX   (K_RX | PTE_U)
#define U_X    (K_X | PTE_U)

#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44
#define SATP_SV39 (8 << SATP_MODE_SHIFT)
#define SATP_SV48 (9 << SATP_MODE_SHIFT)
#define SATP_SV57 (10 << SATP_MODE_SHIFT)

#define SSTATUS_SUM (1 << 18)
#define SSTATUS_MXR (1 << 19)
#define MSTATUS_MPRV (1 << 17)

#define CAUSE_FETCH_ACCESS_FAULT 1
#define CAUSE_LOAD_ACCESS_FAULT  5
#define CAUSE_STORE_ACCESS_FAULT 7
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15
#define PAGE_FAULT_DELEG ((1 << 12) | (1 << 13) | (1 << 15))
#define ECALL_SET_MEDELEG 0x100
#define ECALL_CLEAR_MSTATUS 0x101
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define MSTATUS_TVM (1 << 20)

#define PT_POOL    0x80400000
#define PT_POOL_END 0x80800000
#define DATA_BASE  0x80800000
#define DATA_PAGE(n) (DATA_BASE + (n) * 0x1000)
#define MARKER(n)  (0x5a5a000000000000 + (n))

#define USER_DATA_VA 0x60000000
#define USER_RO_VA   0x60001000

/* Per mode: the lowest canonical upper-half address, a non-canonical address, and a large
 * canonical lower-half address (4.4.1, 4.5.1, 4.6.1: bits 63..VABITS-1 equal bit VABITS-1). */
#if LEVELS == 3
#define SATP_MODE    SATP_SV39
#define VA_HIGH      0xffffffc000000000
#define VA_NONCANON  0x0000004000000000
#define VA_BIG       0x0000003fc0000000
#elif LEVELS == 4
#define SATP_MODE    SATP_SV48
#define VA_HIGH      0xffff800000000000
#define VA_NONCANON  0x0000800000000000
#define VA_BIG       0x00007fc000000000
#elif LEVELS == 5
#define SATP_MODE    SATP_SV57
#define VA_HIGH      0xff00000000000000
#define VA_NONCANON  0x0100000000000000
#define VA_BIG       0x00ffc00000000000
#else
#error LEVELS must be 3, 4 or 5
#endif

/* MMU_INIT: M-mode setup (see above), then s0 = a fresh address space's root. */
.macro MMU_INIT
    li   a0, LEVELS
    call mmu_init
    call mmu_new_space
    mv   s0, a0
.endm

/* CHECK rs, value, code: end the test with `code` (from any mode) unless rs == value. */
.macro CHECK rs, value, code
    li   t6, \value
    beq  \rs, t6, .Lok\@
    EXIT_ECALL \code
.Lok\@:
.endm

/* CHECK_REG rs1, rs2, code */
.macro CHECK_REG rs1, rs2, code
    beq  \rs1, \rs2, .Lok\@
    EXIT_ECALL \code
.Lok\@:
.endm

/* EXPECT_FAULT cause, tvalreg, code, insn...: insn must trap with xcause == cause,
 * xtval == tvalreg and xepc == the instruction's address; otherwise end with `code`. */
.macro EXPECT_FAULT cause, tvalreg, code, insn:vararg
    la   s11, .Lrec\@
    li   s9, -1
.Lat\@:
    \insn
    li   s11, 0
    EXIT_ECALL \code
.Lrec\@:
    li   t6, \cause
    bne  s9, t6, .Lbad\@
    bne  s10, \tvalreg, .Lbad\@
    la   t6, .Lat\@
    beq  s8, t6, .Lok\@
.Lbad\@:
    EXIT_ECALL \code
.Lok\@:
.endm

/* EXPECT_TRAP cause, code, insn...: insn must trap with xcause == cause and xepc == its
 * address (xtval is not checked). */
.macro EXPECT_TRAP cause, code, insn:vararg
    la   s11, .Lrec\@
    li   s9, -1
.Lat\@:
    \insn
    li   s11, 0
    EXIT_ECALL \code
.Lrec\@:
    li   t6, \cause
    bne  s9, t6, .Lbad\@
    la   t6, .Lat\@
    beq  s8, t6, .Lok\@
.Lbad\@:
    EXIT_ECALL \code
.Lok\@:
.endm

/* EXPECT_FETCH_TRAP cause, reg, code: a jump to reg must trap with xcause == cause and
 * xepc == xtval == reg. EXPECT_FETCH_FAULT reg, code: the same for a fetch page fault. */
.macro EXPECT_FETCH_TRAP cause, reg, code
    la   s11, .Lrec\@
    li   s9, -1
    jalr ra, 0(\reg)
    li   s11, 0
    EXIT_ECALL \code
.Lrec\@:
    li   t6, \cause
    bne  s9, t6, .Lbad\@
    bne  s10, \reg, .Lbad\@
    beq  s8, \reg, .Lok\@
.Lbad\@:
    EXIT_ECALL \code
.Lok\@:
.endm
.macro EXPECT_FETCH_FAULT reg, code
    EXPECT_FETCH_TRAP CAUSE_FETCH_PAGE_FAULT, \reg, \code
.endm

/* SET_MEDELEG value: from S or U, through the M-mode handler. */
.macro SET_MEDELEG value
    li   a0, \value
    li   a7, ECALL_SET_MEDELEG
    ecall
.endm

/* MAP va, pa, flags, level: one leaf in the address space whose root is in s0
 * (M-mode only; a0 = the PTE's address afterwards). */
.macro MAP va, pa, flags, level
    mv   a0, s0
    li   a1, \va
    li   a2, \pa
    li   a3, \flags
    li   a4, \level
    call mmu_map
.endm

/* MAP_SYM va, symbol, flags, level: like MAP, with the physical address of a symbol. */
.macro MAP_SYM va, sym, flags, level
    mv   a0, s0
    li   a1, \va
    la   a2, \sym
    li   a3, \flags
    li   a4, \level
    call mmu_map
.endm

/* MAP_RANGE va, pa, size, flags, level: leaves of that level over [va, va + size). */
.macro MAP_RANGE va, pa, size, flags, level
    mv   a0, s0
    li   a1, \va
    li   a2, \pa
    li   a3, \size
    li   a4, \flags
    li   a5, \level
    call mmu_map_range
.endm

/* PTE_AT va, level: a0 = the address of that PTE in the space whose root is in s0 (M-mode). */
.macro PTE_AT va, level
    mv   a0, s0
    li   a1, \va
    li   a2, \level
    call mmu_pte
.endm

/* CHECK_FLAGS addr, flags, code: the low 8 bits (flags) of the PTE at addr must be `flags`. */
.macro CHECK_FLAGS addr, flags, code
    ld   t6, 0(\addr)
    andi t6, t6, 0xff
    addi t6, t6, -(\flags)
    beqz t6, .Lok\@
    EXIT_ECALL \code
.Lok\@:
.endm

/* FILL_MARKERS first, count: data page n gets MARKER(n) in its first doubleword (M-mode). */
.macro FILL_MARKERS first, count
    li   t0, \first
    li   t1, \first + \count
.Lloop\@:
    bgeu t0, t1, .Ldone\@
    slli t2, t0, 12
    li   t3, DATA_BASE
    add  t2, t2, t3
    li   t3, MARKER(0)
    add  t3, t3, t0
    sd   t3, 0(t2)
    addi t0, t0, 1
    j    .Lloop\@
.Ldone\@:
.endm

/* SATP_OF root, asid: a0 = the satp value for this file's mode. */
.macro SATP_OF root, asid
    mv   a0, \root
    li   a1, \asid
    call mmu_satp
.endm

/* The helpers, trap handlers and position-independent code pages: once per program. */
.macro MMU_SUPPORT
    .text
    .align 2
/* mmu_init(a0 = levels): page-table pool, handlers, delegation; clears SUM/MXR. */
mmu_init:
    la   t0, mmu_levels
    sd   a0, 0(t0)
    la   t0, mmu_pt_next
    li   t1, PT_POOL
    sd   t1, 0(t0)
    la   t0, mmu_m_trap
    csrw mtvec, t0
    la   t0, mmu_s_trap
    csrw stvec, t0
    li   t0, PAGE_FAULT_DELEG
    csrw medeleg, t0
    li   t0, SSTATUS_SUM | SSTATUS_MXR
    csrc sstatus, t0
    li   s11, 0
    ret

/* mmu_alloc() -> a0: a zeroed page-table page from the pool. */
mmu_alloc:
    la   t0, mmu_pt_next
    ld   a0, 0(t0)
    li   t1, 4096
    add  t1, a0, t1
    li   t2, PT_POOL_END
    bleu t1, t2, 1f
    EXIT_ECALL 126                         /* pool exhausted: a bug in the test */
1:  sd   t1, 0(t0)
    mv   t2, a0
2:  sd   zero, 0(t2)
    addi t2, t2, 8
    bltu t2, t1, 2b
    ret

/* mmu_map(a0 root, a1 va, a2 pa, a3 flags, a4 level) -> a0 = address of the leaf PTE.
 * Walks from the root (mmu_levels levels), adding zeroed tables where entries are invalid,
 * and writes the leaf at `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB). */
mmu_map:
    la   t0, mmu_levels
    ld   t0, 0(t0)
    addi t0, t0, -1                        /* t0: the level being indexed */
    mv   a6, a0                            /* a6: the current table */
1:  slli t1, t0, 3
    add  t1, t1, t0
    addi t1, t1, 12                        /* 12 + 9 * level */
    srl  t2, a1, t1
    andi t2, t2, 511
    slli t2, t2, 3
    add  t2, a6, t2                        /* t2: &pte */
    beq  t0, a4, 3f
    ld   t3, 0(t2)
    andi t4, t3, PTE_V
    bnez t4, 2f
    mv   a7, ra
    mv   t4, t0
    mv   a5, t2
    call mmu_alloc                         /* a0: the new table (clobbers t0-t2) */
    mv   t0, t4
    mv   t2, a5
    mv   ra, a7
    srli t3, a0, 12
    slli t3, t3, 10
    ori  t3, t3, PTE_V
    sd   t3, 0(t2)
2:  srli t3, t3, 10
    slli a6, t3, 12
    addi t0, t0, -1
    j    1b
3:  srli t3, a2, 12
    slli t3, t3, 10
    or   t3, t3, a3
    sd   t3, 0(t2)
    mv   a0, t2
    ret

/* mmu_pte(a0 root, a1 va, a2 level) -> a0 = the address of the PTE at that level on va's walk
 * (the entries above it must be valid pointers). */
mmu_pte:
    la   t0, mmu_levels
    ld   t0, 0(t0)
    addi t0, t0, -1
1:  slli t1, t0, 3
    add  t1, t1, t0
    addi t1, t1, 12
    srl  t2, a1, t1
    andi t2, t2, 511
    slli t2, t2, 3
    add  t2, a0, t2
    beq  t0, a2, 2f
    ld   t3, 0(t2)
    srli t3, t3, 10
    slli a0, t3, 12
    addi t0, t0, -1
    j    1b
2:  mv   a0, t2
    ret

/* mmu_map_range(a0 root, a1 va, a2 pa, a3 size, a4 flags, a5 level): leaves of that level
 * over [va, va + size). */
mmu_map_range:
    addi sp, sp, -64
    sd   ra, 0(sp)
    sd   s0, 8(sp)
    sd   s1, 16(sp)
    sd   s2, 24(sp)
    sd   s3, 32(sp)
    sd   s4, 40(sp)
    sd   s5, 48(sp)
    sd   s6, 56(sp)
    mv   s0, a0
    mv   s1, a1
    mv   s2, a2
    add  s3, a1, a3
    mv   s4, a4
    mv   s5, a5
    slli t0, a5, 3
    add  t0, t0, a5
    addi t0, t0, 12
    li   s6, 1
    sll  s6, s6, t0                        /* the step: the page size of that level */
1:  bgeu s1, s3, 2f
    mv   a0, s0
    mv   a1, s1
    mv   a2, s2
    mv   a3, s4
    mv   a4, s5
    call mmu_map
    add  s1, s1, s6
    add  s2, s2, s6
    j    1b
2:  ld   ra, 0(sp)
    ld   s0, 8(sp)
    ld   s1, 16(sp)
    ld   s2, 24(sp)
    ld   s3, 32(sp)
    ld   s4, 40(sp)
    ld   s5, 48(sp)
    ld   s6, 56(sp)
    addi sp, sp, 64
    ret

/* mmu_new_space() -> a0: a new root with the common mappings described at the top. */
mmu_new_space:
    addi sp, sp, -16
    sd   ra, 0(sp)
    sd   s0, 8(sp)
    call mmu_alloc
    mv   s0, a0
    li   a1, 0x80000000
    mv   a2, a1
    li   a3, 0x200000
    li   a4, K_RWX
    li   a5, 0
    call mmu_map_range
    mv   a0, s0
    la   a1, user_begin
    mv   a2, a1
    la   a3, user_end
    sub  a3, a3, a1
    li   a4, U_RX
    li   a5, 0
    call mmu_map_range
    mv   a0, s0
    li   a1, 0x80200000
    mv   a2, a1
    li   a3, 0x600000
    li   a4, K_RWX
    li   a5, 1
    call mmu_map_range
    MAP  USER_DATA_VA, DATA_PAGE(15), U_RW, 0
    MAP  USER_RO_VA, DATA_PAGE(14), U_R, 0
    mv   a0, s0
    ld   ra, 0(sp)
    ld   s0, 8(sp)
    addi sp, sp, 16
    ret

/* mmu_satp(a0 root, a1 asid) -> a0 = satp for mmu_levels (3: Sv39, 4: Sv48, 5: Sv57). */
mmu_satp:
    la   t0, mmu_levels
    ld   t0, 0(t0)
    addi t0, t0, 5                         /* MODE: Sv39 = 8, Sv48 = 9, Sv57 = 10 */
    slli t0, t0, SATP_MODE_SHIFT
    slli a1, a1, SATP_ASID_SHIFT
    or   t0, t0, a1
    srli a0, a0, 12
    or   a0, a0, t0
    ret

/* M-mode trap handler: medeleg service ecall, expected traps (s11), else test.h's handler. */
    .align 2
mmu_m_trap:
    csrr t5, mcause
    bltz t5, 3f
    li   t6, 8
    beq  t5, t6, 1f
    li   t6, 9
    beq  t5, t6, 1f
    li   t6, 11
    beq  t5, t6, 1f
    j    2f
1:  li   t6, ECALL_CLEAR_MSTATUS
    bne  a7, t6, 4f
    csrc mstatus, a0
    j    5f
4:  li   t6, ECALL_SET_MEDELEG
    bne  a7, t6, 3f
    csrw medeleg, a0
5:  csrr t5, mepc
    addi t5, t5, 4
    csrw mepc, t5
    mret
2:  beqz s11, 3f
    csrr s8, mepc
    mv   s9, t5
    csrr s10, mtval
    csrw mepc, s11
    li   s11, 0
    mret
3:  li   t6, MSTATUS_MPRV                  /* test.h's handler must store to tohost untranslated */
    csrc mstatus, t6
    j    test_trap_handler

/* S-mode trap handler (mapped S-only by every address space). */
    .align 2
mmu_s_trap:
    beqz s11, 1f
    csrr s8, sepc
    csrr s9, scause
    csrr s10, stval
    csrw sepc, s11
    li   s11, 0
    sret
1:  csrr a0, scause
    li   a7, 100
    bltz a0, 2f
    addi a7, a0, 64
2:  mv   a0, a7
    li   a7, EXIT_ECALL_NR
    ecall

/* Position-independent functions, each alone in its page, for executing through other
 * mappings: pic_one returns 1 in a0, pic_two returns 2. */
    .section .text.pic, "ax", @progbits
    .balign 4096
    .globl pic_one
pic_one:
    li   a0, 1
    ret
    .balign 4096
    .globl pic_two
pic_two:
    li   a0, 2
    ret
    .balign 4096
/* pic_scratch: `addi a0, zero, 1; ret` (uncompressed), for tests that rewrite code. */
    .globl pic_scratch
pic_scratch:
    .option push
    .option norvc
    addi a0, zero, 1
    ret
    .option pop
    .balign 4096
/* An instruction that straddles a page boundary: `addi a0, zero, 7` (0x00700513) has its first
 * half at the end of straddle_a and its second half at the start of straddle_c, which a test
 * maps right after straddle_a. straddle_b, physically right after straddle_a, holds the second
 * half of `addi a0, zero, 9` instead: a fetch that assumes physical contiguity returns 9. */
    .globl straddle_a
straddle_a:
    .skip 0xffe
    .byte 0x13, 0x05
    .globl straddle_b
straddle_b:
    .byte 0x90, 0x00
    ret
    .balign 4096
    .globl straddle_c
straddle_c:
    .byte 0x70, 0x00
    ret
    .balign 4096

    .section .text.user, "ax", @progbits
    .subsection 0
    .balign 4096
    .globl user_begin
user_begin:
    .subsection 2
    .balign 4096
    .globl user_end
user_end:

    .data
    .align 3
mmu_levels:  .dword LEVELS
mmu_pt_next: .dword PT_POOL
.endm

/* USER_CODE / USER_CODE_END: bracket U-mode code. It goes to section .text.user, whose pages
 * (user_begin..user_end, set by MMU_SUPPORT around all of it) are mapped U, R, X. */
.macro USER_CODE
    .section .text.user, "ax", @progbits
    .subsection 1
.endm
.macro USER_CODE_END
    .text
.endm

#endif /* HV_MMU_H */
