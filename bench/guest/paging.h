/*
 * paging.h: S-mode with page tables for the bare-metal benchmark guests (tlbbench.c, and the
 * translated variants of cpubench.c). Implemented in paging.c.
 *
 * The program starts in M-mode (guests/common/crt.S). paging_init() sets up a pool of
 * page-table pages right after the program image (_end); paging_new_root() makes a root whose
 * identity mapping covers the program, its stacks and the pool (S-only, RWX; 4 KiB or 2 MiB
 * leaves) plus the UART and the two verdict devices (syscon, tohost in the image), so the C
 * runtime's output and hv_exit() keep working in S-mode. paging_enter_smode() writes satp and
 * returns to its caller in S-mode (mret to the return address), with the counters readable
 * (mcounteren) and all traps still going to M-mode, where an unexpected one ends the run with
 * 128 + mcause.
 * Privileged spec 4.3-4.5 (Sv39/Sv48 page tables), 3.1.11 (mcounteren), 3.3.2 (MRET).
 */
#ifndef HV_BENCH_PAGING_H
#define HV_BENCH_PAGING_H

#include <stdint.h>

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_U 0x10u
#define PTE_G 0x20u
#define PTE_A 0x40u
#define PTE_D 0x80u
/* Leaves with A and D preset, so the walker has nothing to update. */
#define PTE_KERNEL_RWX (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_KERNEL_RW  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)

#define PAGE_SIZE 4096UL
#define MEGA_SIZE (2UL << 20)

typedef uint64_t pte_t;

/* levels: 3 = Sv39, 4 = Sv48. pool_pages: page-table pages to reserve after _end. */
void paging_init(int levels, unsigned pool_pages);
/* A zeroed page-table page (ends the run with status 120 when the pool is exhausted). */
pte_t *paging_alloc(void);
/* A new root with the identity mappings described above; identity_level: 0 = 4 KiB leaves,
 * 1 = 2 MiB leaves. */
pte_t *paging_new_root(int identity_level);
/* One leaf: level 0 = 4 KiB, 1 = 2 MiB. Adds missing tables. */
void paging_map(pte_t *root, uint64_t va, uint64_t pa, uint64_t flags, int level);
/* The level-0 PTE of va (its tables must exist). */
volatile pte_t *paging_leaf(pte_t *root, uint64_t va);
/* The first physical address above everything paging_new_root maps (2 MiB aligned). */
uint64_t paging_identity_end(void);
/* satp for root and asid in this paging_init's mode; 0 means Bare. */
uint64_t paging_satp(pte_t *root, unsigned asid);
/* From M-mode: satp = satp_value, sfence.vma, then return to the caller in S-mode. */
void paging_enter_smode(uint64_t satp_value);

static inline void paging_write_satp(uint64_t v) { __asm__ volatile("csrw satp, %0" :: "r"(v) : "memory"); }
static inline void paging_sfence_all(void) { __asm__ volatile("sfence.vma" ::: "memory"); }
static inline void paging_sfence_va(uint64_t va) { __asm__ volatile("sfence.vma %0, zero" :: "r"(va) : "memory"); }
static inline uint64_t paging_rdtime(void) { uint64_t v; __asm__ volatile("rdtime %0" : "=r"(v)); return v; }

#endif
