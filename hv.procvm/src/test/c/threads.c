/* pthreads: mutexes, condition variables, thread-local storage, atomics, join values. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"

#define THREADS 4
#define ITERATIONS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_long atomicCounter;
static __thread long tls = 5;

static pthread_mutex_t cvLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn;

static void *worker(void *arg) {
    long id = (long) (intptr_t) arg;
    tls = id * 100;
    for (int i = 0; i < ITERATIONS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&atomicCounter, 1);
    }
    return (void *) (intptr_t) (tls + 1);
}

static void *pingpong(void *arg) {
    (void) arg;
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&cvLock);
        while (turn != 1) {
            pthread_cond_wait(&cv, &cvLock);
        }
        turn = 0;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&cvLock);
    }
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) {
        CHECK(pthread_create(&t[i], NULL, worker, (void *) (intptr_t) (i + 1)) == 0, "pthread_create");
    }
    int joined = 1;
    for (long i = 0; i < THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        joined &= (long) (intptr_t) ret == (i + 1) * 100 + 1;
    }
    CHECK(joined, "join returns each thread's value (thread-local storage)");
    CHECK(tls == 5, "the main thread's TLS is its own");
    CHECK(counter == THREADS * ITERATIONS, "mutex-protected counter");
    CHECK(atomic_load(&atomicCounter) == THREADS * ITERATIONS, "atomic counter");

    pthread_t p;
    pthread_create(&p, NULL, pingpong, NULL);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&cvLock);
        turn = 1;
        pthread_cond_signal(&cv);
        while (turn != 0) {
            pthread_cond_wait(&cv, &cvLock);
        }
        pthread_mutex_unlock(&cvLock);
    }
    CHECK(pthread_join(p, NULL) == 0, "1000 condition-variable round trips");
    printf("counter=%ld\n", counter);
    return failures;
}
