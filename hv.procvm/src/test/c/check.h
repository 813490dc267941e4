/* Tiny self-checking helpers for the process-VM test programs: each CHECK prints "ok <what>" or
   "FAIL <what>: <detail>" and counts failures; main returns the failure count (0 = all passed). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond, what)                                                              \
    do {                                                                               \
        if (cond) {                                                                    \
            printf("ok %s\n", what);                                                   \
        } else {                                                                       \
            printf("FAIL %s: line %d errno %d (%s)\n", what, __LINE__, errno, strerror(errno)); \
            failures++;                                                                \
        }                                                                              \
        fflush(stdout);                                                                \
    } while (0)
