/* Threads mapping, touching and unmapping memory at the same time (mmap must never hand two
   threads the same range), plus malloc/free from every thread. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "check.h"

#define THREADS 12
#define ROUNDS 300

static void *work(void *arg) {
    long id = (long) (intptr_t) arg, sum = 0;
    for (int i = 0; i < ROUNDS; i++) {
        size_t size = 4096 * (1 + (i * 7 + id) % 32);
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            return (void *) -1;
        }
        memset(p, (int) id, size);
        for (size_t j = 0; j < size; j += 4096) {
            sum += p[j];
        }
        munmap(p, size);
        char *q = malloc(1000 + i * 10);
        memset(q, 1, 1000);
        free(q);
    }
    return (void *) (intptr_t) sum;
}

int main(void) {
    pthread_t t[THREADS];
    long total = 0, expect = 0;
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&t[i], NULL, work, (void *) (intptr_t) i);
    }
    for (long i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long) (intptr_t) r;
    }
    for (long id = 0; id < THREADS; id++) {
        for (int i = 0; i < ROUNDS; i++) {
            expect += id * (1 + (i * 7 + id) % 32);
        }
    }
    CHECK(total == expect, "every thread saw only its own pages");
    return failures;
}
