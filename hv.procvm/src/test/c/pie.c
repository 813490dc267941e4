/* A freestanding static-pie executable (ET_DYN without PT_INTERP): no libc, raw system calls.
   Checks that it runs at a load bias (its own address differs from its link-time address 0)
   and reads its argc from the initial stack. */
static long sys(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static void say(const char *s) {
    long n = 0;
    while (s[n]) {
        n++;
    }
    sys(64, 1, (long) s, n);
}

void start_c(long *sp) {
    long argc = sp[0];
    long here = (long) &start_c;
    say(here > 0x10000 ? "pie: relocated\n" : "pie: not relocated\n");
    say(argc == 2 ? "pie: argc 2\n" : "pie: bad argc\n");
    sys(93, 3, 0, 0);
}

__asm__(".globl _start\n_start:\n mv a0, sp\n andi sp, sp, -16\n call start_c\n");
