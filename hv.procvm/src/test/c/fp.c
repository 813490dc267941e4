/* Floating point and printf of doubles: exercises the F/D extension through libc. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    double s = 0;
    for (int i = 1; i <= 1000; i++) {
        s += 1.0 / ((double) i * i);
    }
    printf("basel=%.12f\n", s);
    printf("sqrt2=%.15f\n", sqrt(2.0));
    printf("pi=%.10f\n", 4 * atan(1.0));
    float f = 1.0f / 3.0f;
    printf("third=%.7f\n", f);
    printf("strtod=%.3f\n", strtod("12345.678", NULL));
    return 0;
}
