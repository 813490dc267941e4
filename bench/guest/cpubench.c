/*
 * cpubench.c: HV's CPU benchmark guest (issues 3 and 8). A fixed, deterministic amount of
 * CPU-bound work in six kernels that stress different parts of an RV64GC core:
 *
 *   sieve    byte loads/stores, short loops             (Eratosthenes below 2^20)
 *   crc32    table lookups, shifts, xor                 (reflected CRC-32, polynomial 0xEDB88320)
 *   matmul   multiply-accumulate, strided loads         (64x64 int32 matrices)
 *   qsort    data-dependent branches, recursion, stack  (80k keys, median-of-three quicksort)
 *   interp   an indirect-branch-heavy byte-code loop    (a tiny stack machine)
 *   fp       double add/mul/div/sqrt, fcvt, compares    (Mandelbrot set + Newton square roots)
 *
 * Each kernel's result is printed, then one checksum over all of them. Both builds (Linux
 * static for qemu-riscv64 / `hv exec`, bare-metal for `-bios none` / `hv run --bios none`)
 * compute the same numbers, so the checksum also checks the emulator's correctness.
 * SCALE (compile time) multiplies the work; the default takes a few seconds under qemu-riscv64.
 */
#include <stdint.h>

#ifndef SCALE
#define SCALE 4
#endif

/* ---- output: the only platform-specific part ------------------------------------------------ */
#ifdef BARE_METAL
#include "hv.h"
static void out_str(const char *s) { hv_puts(s); }
#else
#include <unistd.h>
static void out_str(const char *s)
{
    const char *e = s;
    while (*e) e++;
    while (s < e) {
        ssize_t n = write(1, s, (size_t)(e - s));
        if (n <= 0) return;
        s += n;
    }
}
#endif

static void out_u64(uint64_t v)
{
    char buf[21];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    out_str(buf + i);
}

static void out_hex(uint64_t v)
{
    char buf[17];
    for (int i = 0; i < 16; i++) buf[i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    buf[16] = 0;
    out_str(buf);
}

#ifdef BARE_METAL
static uint64_t kernel_instret0;
#endif

/* ---- translated variants (bench/mmu.sh): the same work in S-mode, PAGING = 0: satp Bare,
 *      1: Sv39 identity with 4 KiB leaves, 2: Sv39 identity with 2 MiB leaves (paging.h) ------ */
#if defined(BARE_METAL) && defined(PAGING)
#include "paging.h"
static void enter_paging(void)
{
    paging_init(3, 64);
    uint64_t satp = PAGING == 0 ? 0 : paging_satp(paging_new_root(PAGING == 2 ? 1 : 0), 1);
    paging_enter_smode(satp);
    out_str(PAGING == 0 ? "paging: S-mode, Bare\n"
                        : PAGING == 1 ? "paging: S-mode, Sv39, 4 KiB pages\n" : "paging: S-mode, Sv39, 2 MiB pages\n");
}
#endif

static void report(const char *name, uint64_t value)
{
    out_str(name);
    out_str("=");
    out_hex(value);
#ifdef BARE_METAL
    /* Instructions per kernel: exact where minstret counts retired instructions (HV, and
     * QEMU with -icount); QEMU without -icount returns host ticks here. */
    uint64_t now = hv_rdinstret();
    out_str(" instret=");
    out_u64(now - kernel_instret0);
    kernel_instret0 = now;
#endif
    out_str("\n");
}

/* ---- helpers ---------------------------------------------------------------------------------- */
static uint64_t rng_state;
static uint64_t rng_next(void)            /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h;
}

/* ---- sieve -------------------------------------------------------------------------------------- */
#define SIEVE_N (1u << 20)
static uint8_t composite[SIEVE_N];

static uint64_t bench_sieve(int rounds)
{
    uint64_t total = 0;
    for (int r = 0; r < rounds; r++) {
        for (uint32_t i = 0; i < SIEVE_N; i++) composite[i] = 0;
        uint32_t count = 0;
        for (uint32_t i = 2; i < SIEVE_N; i++) {
            if (composite[i]) continue;
            count++;
            for (uint64_t j = (uint64_t)i * i; j < SIEVE_N; j += i) composite[j] = 1;
        }
        total = total * 31 + count;                 /* 82025 primes below 2^20 */
    }
    return total;
}

/* ---- crc32 -------------------------------------------------------------------------------------- */
#define CRC_BUF 65536
static uint32_t crc_table[256];
static uint8_t crc_data[CRC_BUF];

static uint64_t bench_crc32(int rounds)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
        crc_table[i] = c;
    }
    rng_state = 0x1234567887654321ULL;
    for (uint32_t i = 0; i < CRC_BUF; i += 8) {
        uint64_t v = rng_next();
        for (int k = 0; k < 8; k++) crc_data[i + k] = (uint8_t)(v >> (8 * k));
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (int r = 0; r < rounds; r++) {
        for (uint32_t i = 0; i < CRC_BUF; i++) crc = crc_table[(crc ^ crc_data[i]) & 0xff] ^ (crc >> 8);
        crc_data[r % CRC_BUF] ^= (uint8_t)crc;      /* each round hashes different data */
    }
    return crc ^ 0xFFFFFFFFu;
}

/* ---- matmul ------------------------------------------------------------------------------------- */
#define MN 64
static int32_t ma[MN][MN], mb[MN][MN], mc[MN][MN];

static uint64_t bench_matmul(int rounds)
{
    rng_state = 0xA5A5A5A5DEADBEEFULL;
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            ma[i][j] = (int32_t)(rng_next() % 201) - 100;
            mb[i][j] = (int32_t)(rng_next() % 201) - 100;
        }
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < MN; i++)
            for (int j = 0; j < MN; j++) {
                int32_t s = 0;
                for (int k = 0; k < MN; k++) s += ma[i][k] * mb[k][j];
                mc[i][j] = s;
            }
        /* feed the result back so no round can be skipped */
        for (int i = 0; i < MN; i++) {
            h = mix(h, (uint32_t)mc[i][(i + r) % MN]);
            ma[i][r % MN] = (mc[i][i] & 0xff) - 128;
        }
    }
    return h;
}

/* ---- quicksort ---------------------------------------------------------------------------------- */
#define QN 80000
static uint32_t keys[QN];

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        /* median of three into a[mid] */
        if (a[mid] < a[lo]) { uint32_t t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { uint32_t t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { uint32_t t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        uint32_t pivot = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        /* recurse into the smaller part, loop on the larger: bounded stack */
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; }
        else { quicksort(a, i, hi); hi = j; }
    }
    for (long i = lo + 1; i <= hi; i++) {        /* insertion sort for the small tail */
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static uint64_t bench_qsort(int rounds)
{
    uint64_t h = 0;
    rng_state = 0x0F1E2D3C4B5A6978ULL;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < QN; i++) keys[i] = (uint32_t)(rng_next() >> 32);
        quicksort(keys, 0, QN - 1);
        for (int i = 1; i < QN; i++)
            if (keys[i - 1] > keys[i]) return 0xBAD50A7ULL;   /* not sorted: report a wrong result */
        for (int i = 0; i < QN; i += 997) h = mix(h, keys[i]);
    }
    return h;
}

/* ---- byte-code interpreter ---------------------------------------------------------------------- */
enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_SHR, OP_DUP, OP_DROP,
       OP_JZ, OP_JMP, OP_LT, OP_HALT };

/* The program: sum of Collatz stopping times for n = 1..limit-1, assembled by build_program()
 * (so the jump targets are computed, not hand-counted). Registers: r0 = n, r1 = x,
 * r2 = total steps, r3 = limit. */
static uint8_t code[128];

static int build_program(void)
{
    int pc = 0;
#define EMIT(...) do { const uint8_t bytes[] = { __VA_ARGS__ }; \
                       for (unsigned i_ = 0; i_ < sizeof bytes; i_++) code[pc++] = bytes[i_]; } while (0)
    int loop_n, loop_x, else_x, after_if, end_x, end_n;
    EMIT(OP_PUSH, 1, OP_STORE, 0);                       /* n = 1 */
    loop_n = pc;
    EMIT(OP_LOAD, 0, OP_LOAD, 3, OP_LT, OP_JZ, 0);       /* while (n < limit) */
    end_n = pc - 1;
    EMIT(OP_LOAD, 0, OP_STORE, 1);                       /*   x = n */
    loop_x = pc;
    EMIT(OP_PUSH, 1, OP_LOAD, 1, OP_LT, OP_JZ, 0);       /*   while (1 < x) */
    end_x = pc - 1;
    EMIT(OP_LOAD, 1, OP_PUSH, 1, OP_AND, OP_JZ, 0);      /*     if (x & 1) */
    else_x = pc - 1;
    EMIT(OP_LOAD, 1, OP_PUSH, 3, OP_MUL, OP_PUSH, 1, OP_ADD, OP_STORE, 1, OP_JMP, 0); /* x = 3x+1 */
    after_if = pc - 1;
    code[else_x] = (uint8_t)pc;
    EMIT(OP_LOAD, 1, OP_PUSH, 1, OP_SHR, OP_STORE, 1);   /*     else x >>= 1 */
    code[after_if] = (uint8_t)pc;
    EMIT(OP_LOAD, 2, OP_PUSH, 1, OP_ADD, OP_STORE, 2, OP_JMP, (uint8_t)loop_x); /* steps++ */
    code[end_x] = (uint8_t)pc;
    EMIT(OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, OP_JMP, (uint8_t)loop_n); /* n++ */
    code[end_n] = (uint8_t)pc;
    EMIT(OP_HALT);
#undef EMIT
    return pc;
}

static uint64_t run_program(uint64_t limit)
{
    uint64_t stack[16], reg[4] = { 0, 0, 0, limit };
    int sp = 0, pc = 0;
    for (;;) {
        uint8_t op = code[pc++];
        switch (op) {
        case OP_PUSH:  stack[sp++] = code[pc++]; break;
        case OP_LOAD:  stack[sp++] = reg[code[pc++] & 3]; break;
        case OP_STORE: reg[code[pc++] & 3] = stack[--sp]; break;
        case OP_ADD:   sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB:   sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL:   sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_AND:   sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHR:   sp--; stack[sp - 1] >>= stack[sp]; break;
        case OP_DUP:   stack[sp] = stack[sp - 1]; sp++; break;
        case OP_DROP:  sp--; break;
        case OP_JZ:    { uint8_t t = code[pc++]; if (stack[--sp] == 0) pc = t; } break;
        case OP_JMP:   pc = code[pc]; break;
        case OP_LT:    sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_HALT:  return reg[2];
        default:       return 0xBADC0DEULL;
        }
        if (sp < 0 || sp > 14) return 0xBAD57ACULL;
    }
}

static uint64_t bench_interp(int rounds)
{
    build_program();
    uint64_t h = 0;
    for (int r = 0; r < rounds; r++) h = mix(h, run_program(3000 + (uint64_t)r));
    return h;
}

/* ---- floating point ----------------------------------------------------------------------------- */
static double newton_sqrt(double x)
{
    double g = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 20; i++) g = 0.5 * (g + x / g);
    return g;
}

static uint64_t bench_fp(int rounds)
{
    uint64_t iterations = 0;
    double acc = 0;
    for (int r = 0; r < rounds; r++) {
        /* Mandelbrot: 96x64 grid over [-2, 0.5] x [-1, 1], at most 64 iterations per point */
        for (int py = 0; py < 64; py++) {
            double ci = -1.0 + 2.0 * py / 64.0 + r * 1e-3;
            for (int px = 0; px < 96; px++) {
                double cr = -2.0 + 2.5 * px / 96.0;
                double zr = 0, zi = 0;
                int n = 0;
                while (n < 64 && zr * zr + zi * zi <= 4.0) {
                    double t = zr * zr - zi * zi + cr;
                    zi = 2.0 * zr * zi + ci;
                    zr = t;
                    n++;
                }
                iterations += (uint64_t)n;
            }
        }
        for (int i = 1; i <= 200; i++) {
            double s = newton_sqrt((double)(i * (r + 1)));
            acc += s - __builtin_sqrt((double)(i * (r + 1)));   /* Newton vs fsqrt.d */
            acc += (double)(int64_t)(s * 1000.0) / 1000.0;       /* fcvt both ways */
        }
    }
    union { double d; uint64_t u; } bits = { acc };
    return mix(iterations, bits.u);
}

/* ---- main --------------------------------------------------------------------------------------- */
int main(void)
{
#if defined(BARE_METAL) && defined(PAGING)
    enter_paging();
#endif
#ifdef BARE_METAL
    uint64_t instret0 = hv_rdinstret();
    kernel_instret0 = instret0;
#endif
    uint64_t sum = 0, v;
    out_str("cpubench: scale " );
    out_u64(SCALE);
    out_str("\n");
    /* Round counts chosen so each kernel retires about 1.67e8 instructions per SCALE unit. */
    v = bench_sieve(12 * SCALE);     report("sieve", v);  sum = mix(sum, v);
    v = bench_crc32(250 * SCALE);    report("crc32", v);  sum = mix(sum, v);
    v = bench_matmul(90 * SCALE);    report("matmul", v); sum = mix(sum, v);
    v = bench_qsort(15 * SCALE);     report("qsort", v);  sum = mix(sum, v);
    v = bench_interp(2 * SCALE);     report("interp", v); sum = mix(sum, v);
    v = bench_fp(86 * SCALE);        report("fp", v);     sum = mix(sum, v);
    out_str("checksum=");
    out_hex(sum);
    out_str("\n");
#ifdef BARE_METAL
    out_str("guest-instret=");
    out_u64(hv_rdinstret() - instret0);
    out_str("\n");
#endif
    return 0;
}
