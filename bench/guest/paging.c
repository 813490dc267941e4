/* paging.c: page tables and the drop to S-mode for benchmark guests (see paging.h). */
#include "paging.h"
#include "hv.h"

#define RAM_BASE   0x80000000UL
#define UART_BASE  0x10000000UL
#define SYSCON     0x100000UL
#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44

extern char _end[];

static int paging_levels = 3;
static uint64_t pool_next, pool_end;

void paging_init(int levels, unsigned pool_pages)
{
    paging_levels = levels;
    pool_next = ((uint64_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    pool_end = pool_next + (uint64_t)pool_pages * PAGE_SIZE;
}

pte_t *paging_alloc(void)
{
    if (pool_next + PAGE_SIZE > pool_end) {
        hv_puts("paging: page-table pool exhausted\n");
        hv_exit(120);
    }
    pte_t *t = (pte_t *)pool_next;
    pool_next += PAGE_SIZE;
    for (int i = 0; i < 512; i++) t[i] = 0;
    return t;
}

static unsigned index_at(uint64_t va, int level) { return (unsigned)(va >> (12 + 9 * level)) & 511; }

void paging_map(pte_t *root, uint64_t va, uint64_t pa, uint64_t flags, int level)
{
    pte_t *t = root;
    for (int l = paging_levels - 1; l > level; l--) {
        pte_t *e = &t[index_at(va, l)];
        if (!(*e & PTE_V)) {
            pte_t *next = paging_alloc();
            *e = (((uint64_t)next >> 12) << 10) | PTE_V;
        }
        t = (pte_t *)((*e >> 10) << 12);
    }
    t[index_at(va, level)] = ((pa >> 12) << 10) | flags;
}

volatile pte_t *paging_leaf(pte_t *root, uint64_t va)
{
    pte_t *t = root;
    for (int l = paging_levels - 1; l > 0; l--) t = (pte_t *)((t[index_at(va, l)] >> 10) << 12);
    return &t[index_at(va, 0)];
}

uint64_t paging_identity_end(void)
{
    return (pool_end + MEGA_SIZE - 1) & ~(MEGA_SIZE - 1);
}

pte_t *paging_new_root(int identity_level)
{
    pte_t *root = paging_alloc();
    uint64_t step = identity_level ? MEGA_SIZE : PAGE_SIZE;
    for (uint64_t a = RAM_BASE; a < paging_identity_end(); a += step) paging_map(root, a, a, PTE_KERNEL_RWX, identity_level);
    paging_map(root, UART_BASE, UART_BASE, PTE_KERNEL_RW, 0);
    paging_map(root, SYSCON, SYSCON, PTE_KERNEL_RW, 0);
    return root;
}

uint64_t paging_satp(pte_t *root, unsigned asid)
{
    uint64_t mode = (uint64_t)(paging_levels + 5);       /* Sv39 = 8, Sv48 = 9 */
    return (mode << SATP_MODE_SHIFT) | ((uint64_t)asid << SATP_ASID_SHIFT) | ((uint64_t)root >> 12);
}

/* paging_enter_smode(a0 = satp): MPP = S, mepc = ra, mret. Written in assembly so no stack
 * frame is left behind: the caller simply continues, in S-mode. */
__asm__(
    "    .text\n"
    "    .globl paging_enter_smode\n"
    "    .align 2\n"
    "paging_enter_smode:\n"
    "    csrw  satp, a0\n"
    "    sfence.vma\n"
    "    li    t0, 7\n"
    "    csrw  mcounteren, t0\n"              /* cycle, time, instret readable in S */
    "    li    t0, 0x1800\n"
    "    csrc  mstatus, t0\n"
    "    li    t0, 0x800\n"
    "    csrs  mstatus, t0\n"                 /* MPP = S */
    "    csrw  mepc, ra\n"
    "    mret\n");
