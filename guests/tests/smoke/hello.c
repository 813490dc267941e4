/* A C guest through crt.S: prints on the UART and checks a small computation. EXPECT-EXIT: 0 */
#include "hv.h"

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    hv_puts("hello from a bare-metal C guest\n");
    double x = 0;
    for (int i = 1; i <= 10; i++) x += 1.0 / i;       /* H(10) = 2.928968... */
    if (fib(20) != 6765) return 1;
    if (x < 2.928968 || x > 2.928969) return 2;
    return 0;
}
