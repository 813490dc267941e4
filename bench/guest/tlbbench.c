/*
 * tlbbench.c: HV's address-translation benchmark guest (issue 4). Bare metal: builds its own
 * Sv39 (or Sv48, -DLEVELS=4) page tables in M-mode, then runs in S-mode:
 *
 *   SPACES address spaces (ASIDs 1..SPACES), each mapping VPAGES 4 KiB pages at VBASE onto a
 *   pool of FRAMES frames (every frame twice, in a different order per space). VPAGES is 16
 *   times the 256 entries of HV's per-hart TLB, so sweeps miss in any small TLB.
 *
 *   sweep     every page of space 0, in a strided order, load + store       (TLB misses)
 *   random    pseudo-random pages of space 0, load                           (TLB misses)
 *   hot       16 pages over and over, load + store                           (TLB hits)
 *   switch    satp switches between the spaces (ASIDs, no fence), 32 pages after each
 *   flush     the same with ASID 0 and sfence.vma after every switch (a kernel without ASIDs)
 *   remap     one PTE rewritten, sfence.vma of that page, then a load through it
 *
 * Every frame holds its own number in its first doubleword, so each load checks the
 * translation: a wrong frame changes the phase's result and the final checksum, which must be
 * the same on HV and QEMU. Per phase it prints the result, the guest-timer time (rdtime at
 * 10 MHz, both on HV and QEMU's virt) and the retired instructions.
 * SCALE (compile time) multiplies the work.
 */
#include <stdint.h>
#include "hv.h"
#include "paging.h"

#ifndef SCALE
#define SCALE 1
#endif
#ifndef LEVELS
#define LEVELS 3
#endif

#define SPACES 4
#define VPAGES 4096u                 /* 16 MiB of virtual pages per space */
#define FRAMES 2048u                 /* 8 MiB of frames */
#define VBASE  0x40000000UL
#define HOT    16u

static pte_t *roots[SPACES];
static uint64_t satp_asid[SPACES], satp_noasid[SPACES];
static uint64_t frame_base;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h;
}

/* The frame behind virtual page p of space s: a different permutation per space. */
static unsigned frame_of(unsigned s, unsigned p)
{
    static const unsigned mult[SPACES] = { 1, 597, 1029, 1869 };   /* odd: bijections mod FRAMES */
    return ((p & (FRAMES - 1)) * mult[s] + (p / FRAMES) * 1021u + s * 7u) & (FRAMES - 1);
}

static inline volatile uint64_t *vpage(unsigned p) { return (volatile uint64_t *)(VBASE + ((uint64_t)p << 12)); }

/* ---- phases ---------------------------------------------------------------------------------- */
static uint64_t phase_sweep(int rounds)
{
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++) {
        unsigned p = (unsigned)r;
        for (unsigned i = 0; i < VPAGES; i++) {
            p = (p + 97) & (VPAGES - 1);             /* odd stride: every page once per round */
            volatile uint64_t *v = vpage(p);
            uint64_t f = v[0];
            v[1 + (i & 7)] = f + (uint64_t)r;
            h = mix(h, f);
        }
    }
    return h;
}

static uint64_t phase_random(int count)
{
    uint64_t h = 0, x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < count; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;   /* xorshift64 */
        h = mix(h, vpage((unsigned)(x >> 20) & (VPAGES - 1))[0]);
    }
    return h;
}

static uint64_t phase_hot(int rounds)
{
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++)
        for (unsigned i = 0; i < HOT; i++) {
            volatile uint64_t *v = vpage(i * 129);
            uint64_t f = v[0];
            v[2] = f ^ (uint64_t)r;
            h += f;
        }
    return h;
}

static uint64_t phase_switch(int switches, const uint64_t *satps, int fence)
{
    uint64_t h = 0;
    for (int i = 0; i < switches; i++) {
        unsigned s = (unsigned)i % SPACES;
        paging_write_satp(satps[s]);
        if (fence) paging_sfence_all();
        unsigned base = ((unsigned)i * 389u) & (VPAGES - 1);
        for (unsigned k = 0; k < 32; k++) h = mix(h, vpage((base + k * 61u) & (VPAGES - 1))[0] + s);
    }
    paging_write_satp(satp_asid[0]);
    if (fence) paging_sfence_all();
    return h;
}

static uint64_t phase_remap(int count)
{
    uint64_t h = 0;
    for (int i = 0; i < count; i++) {
        unsigned p = ((unsigned)i * 53u) & (VPAGES - 1);
        unsigned f = ((unsigned)i * 7u + 3u) & (FRAMES - 1);
        volatile pte_t *pte = paging_leaf(roots[0], VBASE + ((uint64_t)p << 12));
        *pte = (((frame_base + (uint64_t)f * PAGE_SIZE) >> 12) << 10) | PTE_KERNEL_RW;
        paging_sfence_va(VBASE + ((uint64_t)p << 12));
        uint64_t got = vpage(p)[0];
        h = mix(h, got);
        if (got != f) h ^= 0xBAD0000000000000ULL;   /* the fence did not take: the checksum says so */
    }
    return h;
}

/* ---- output ---------------------------------------------------------------------------------- */
static uint64_t t0, i0, checksum;

static void phase_start(void)
{
    t0 = paging_rdtime();
    i0 = hv_rdinstret();
}

static void phase_end(const char *name, uint64_t result)
{
    uint64_t us = (paging_rdtime() - t0) / 10, n = hv_rdinstret() - i0;
    hv_puts(name);
    hv_puts("=");
    hv_put_hex(result);
    hv_puts(" us=");
    hv_put_dec(us);
    hv_puts(" instret=");
    hv_put_dec(n);
    hv_puts("\n");
    checksum = mix(checksum, result);
}

int main(void)
{
    /* M-mode: the tables. Each space: the identity (2 MiB leaves), then VPAGES 4 KiB pages. */
    paging_init(LEVELS, SPACES * 16 + 8);
    frame_base = paging_identity_end();
    for (unsigned f = 0; f < FRAMES; f++) {
        volatile uint64_t *frame = (volatile uint64_t *)(frame_base + (uint64_t)f * PAGE_SIZE);
        frame[0] = f;
        for (int k = 1; k < 16; k++) frame[k] = 0;
    }
    for (unsigned s = 0; s < SPACES; s++) {
        roots[s] = paging_new_root(1);
        for (unsigned p = 0; p < VPAGES; p++)
            paging_map(roots[s], VBASE + ((uint64_t)p << 12), frame_base + (uint64_t)frame_of(s, p) * PAGE_SIZE,
                       PTE_KERNEL_RW, 0);
        satp_asid[s] = paging_satp(roots[s], s + 1);
        satp_noasid[s] = paging_satp(roots[s], 0);
    }
    paging_enter_smode(satp_asid[0]);

    /* S-mode from here on. */
    hv_puts("tlbbench: scale ");
    hv_put_dec(SCALE);
    hv_puts(LEVELS == 4 ? ", Sv48" : ", Sv39");
    hv_puts(", 4 spaces x 4096 pages\n");
    uint64_t start_instret = hv_rdinstret();
    phase_start(); phase_end("sweep", phase_sweep(48 * SCALE));
    phase_start(); phase_end("random", phase_random(200000 * SCALE));
    phase_start(); phase_end("hot", phase_hot(40000 * SCALE));
    phase_start(); phase_end("switch", phase_switch(6000 * SCALE, satp_asid, 0));
    phase_start(); phase_end("flush", phase_switch(6000 * SCALE, satp_noasid, 1));
    phase_start(); phase_end("remap", phase_remap(50000 * SCALE));
    hv_puts("checksum=");
    hv_put_hex(checksum);
    hv_puts("\nguest-instret=");
    hv_put_dec(hv_rdinstret() - start_instret);
    hv_puts("\n");
    return 0;
}
