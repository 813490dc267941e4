/*
 * cpubench.c: a CPU-bound bare-metal workload for measuring the hart's interpreter speed
 * (HartThroughput in hv.cpu's test sources). Integer sieve, CRC32, integer matrix multiply,
 * quicksort, a branchy byte-code interpreter, and a little double arithmetic. main() checks
 * results so a wrong interpreter cannot look fast. Built with guests/common (crt.S, link.ld).
 */
#include <stdint.h>
#include "hv.h"

#ifndef REPS
#define REPS 20
#endif

static uint8_t sieve_buf[200000];
static uint32_t crc_table[256];
static int32_t ma[48][48], mb[48][48], mc[48][48];
static int32_t sort_buf[20000];
static double fpa[256];

static int sieve(int n) {
    for (int i = 0; i < n; i++) sieve_buf[i] = 1;
    sieve_buf[0] = sieve_buf[1] = 0;
    for (int i = 2; i * i < n; i++)
        if (sieve_buf[i])
            for (int j = i * i; j < n; j += i) sieve_buf[j] = 0;
    int c = 0;
    for (int i = 0; i < n; i++) c += sieve_buf[i];
    return c;
}

static uint32_t crc32(const uint8_t *p, int n) {
    uint32_t c = 0xffffffffu;
    for (int i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static int32_t matmul(int n) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) { ma[i][j] = i + j; mb[i][j] = 2 * i - j + 1; }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t s = 0;
            for (int k = 0; k < n; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    int32_t t = 0;
    for (int i = 0; i < n; i++) t += mc[i][i];
    return t;
}

static void qsort_int(int32_t *a, int lo, int hi) {
    while (lo < hi) {
        int32_t p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { qsort_int(a, lo, j); lo = i; } else { qsort_int(a, i, hi); hi = j; }
    }
}

static int sort_check(int n, uint32_t seed) {
    for (int i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; sort_buf[i] = (int32_t)(seed >> 8); }
    qsort_int(sort_buf, 0, n - 1);
    for (int i = 1; i < n; i++) if (sort_buf[i - 1] > sort_buf[i]) return 0;
    return 1;
}

/* A tiny stack machine: computes sum of i*i mod 7 for i < n with a branchy dispatch loop. */
enum { PUSH, LOAD, STORE, ADD, MUL, MOD, LT, JZ, JMP, HALT, INC };
static int64_t interp(int64_t n) {
    static const int prog[] = {
        PUSH, 0, STORE, 0,          /* i = 0 */
        PUSH, 0, STORE, 1,          /* s = 0 */
        LOAD, 0, PUSH, 0, LT, JZ, 32, /* 8: while (i < n) -- n patched below */
        LOAD, 0, LOAD, 0, MUL, PUSH, 7, MOD, LOAD, 1, ADD, STORE, 1, /* s += i*i % 7 */
        INC, 0, JMP, 8, /* 28 */
        HALT          /* 32 */
    };
    int code[sizeof prog / sizeof prog[0]];
    for (unsigned i = 0; i < sizeof prog / sizeof prog[0]; i++) code[i] = prog[i];
    code[11] = (int)n;
    int64_t vars[2] = {0, 0}, st[16];
    int sp = 0, pc = 0;
    for (;;) {
        switch (code[pc]) {
        case PUSH: st[sp++] = code[pc + 1]; pc += 2; break;
        case LOAD: st[sp++] = vars[code[pc + 1]]; pc += 2; break;
        case STORE: vars[code[pc + 1]] = st[--sp]; pc += 2; break;
        case ADD: sp--; st[sp - 1] += st[sp]; pc++; break;
        case MUL: sp--; st[sp - 1] *= st[sp]; pc++; break;
        case MOD: sp--; st[sp - 1] %= st[sp]; pc++; break;
        case LT: sp--; st[sp - 1] = st[sp - 1] < st[sp]; pc++; break;
        case JZ: pc = st[--sp] ? pc + 2 : code[pc + 1]; break;
        case JMP: pc = code[pc + 1]; break;
        case INC: vars[code[pc + 1]]++; pc += 2; break;
        case HALT: return vars[1];
        default: pc++; break;
        }
    }
}

static double fpwork(int n) {
    for (int i = 0; i < 256; i++) fpa[i] = 1.0 + i * 0.5;
    double s = 0;
    for (int r = 0; r < n; r++)
        for (int i = 1; i < 256; i++) { fpa[i] = fpa[i] * 0.999 + fpa[i - 1] * 0.001; s += fpa[i] / (1.0 + i); }
    return s;
}

int main(void) {
    crc_init();
    uint64_t i0 = hv_rdinstret();
#ifndef ONLY
#define ONLY 0 /* 0: all workloads; 1..6: just that one (for profiling) */
#endif
    for (int r = 0; r < REPS; r++) {
        if ((ONLY == 0 || ONLY == 1) && sieve(200000) != 17984) return 1;
        if ((ONLY == 0 || ONLY == 2) && crc32(sieve_buf, 200000) == 0 && ONLY == 0) return 2;
        if ((ONLY == 0 || ONLY == 3) && matmul(48) == 0) return 3;
        if ((ONLY == 0 || ONLY == 4) && !sort_check(20000, 42 + r)) return 4;
        if (ONLY == 0 || ONLY == 5) {
            int64_t s = interp(20000);
            int64_t want = 0;
            for (int64_t i = 0; i < 20000; i++) want += i * i % 7;
            if (s != want) return 5;
        }
        if ((ONLY == 0 || ONLY == 6) && !(fpwork(40) > 0)) return 6;
    }
    uint64_t i1 = hv_rdinstret();
    hv_puts("instret ");
    hv_put_dec(i1 - i0);
    hv_puts("\n");
    return 0;
}
