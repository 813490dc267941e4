/* mmap, munmap, mprotect, mremap, brk, file mappings, MAP_SHARED across fork, SIGSEGV recovery. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static sigjmp_buf env;
static volatile void *faultAddr;

static void onSegv(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    faultAddr = si->si_addr;
    siglongjmp(env, 1);
}

/* Returns 1 if writing *p faults. */
static int writeFaults(volatile char *p) {
    if (sigsetjmp(env, 1) == 0) {
        *p = 1;
        return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    struct sigaction sa = {0};
    sa.sa_sigaction = onSegv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    size_t len = 64 << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap 64 MiB anonymous");
    int zero = 1;
    for (size_t i = 0; i < len; i += 1 << 20) {
        zero &= p[i] == 0;
    }
    CHECK(zero, "fresh anonymous memory is zero");
    for (size_t i = 0; i < len; i += 4096) {
        p[i] = (char) (i >> 12);
    }
    int same = 1;
    for (size_t i = 0; i < len; i += 4096) {
        same &= p[i] == (char) (i >> 12);
    }
    CHECK(same, "16384 pages written and read back");
    CHECK(mprotect(p, 4096, PROT_READ) == 0, "mprotect read-only");
    CHECK(writeFaults(p) && faultAddr == p, "write to read-only page is SIGSEGV at the address");
    CHECK(p[0] == 0, "the read-only page kept its content");
    CHECK(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0 && !writeFaults(p), "mprotect back to writable");
    CHECK(munmap(p + 4096, 4096) == 0, "munmap one page");
    CHECK(writeFaults(p + 4096), "access to an unmapped page is SIGSEGV");
    CHECK(!writeFaults(p + 8192), "the neighbour page is still mapped");
    CHECK(writeFaults((char *) 16), "NULL page access is SIGSEGV");
    CHECK(madvise(p + 8192, 4096, MADV_DONTNEED) == 0 && p[8192] == 0, "MADV_DONTNEED gives zero pages back");
    munmap(p, len);

    char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(q, 'q', 8192);
    char *r = mremap(q, 8192, 1 << 20, MREMAP_MAYMOVE);
    CHECK(r != MAP_FAILED && r[0] == 'q' && r[8191] == 'q' && r[8192] == 0, "mremap grows and keeps the data");
    r[(1 << 20) - 1] = 1;

    char *b0 = sbrk(0);
    CHECK(b0 != (void *) -1 && sbrk(1 << 20) == b0, "sbrk grows");
    memset(b0, 7, 1 << 20);
    CHECK(b0[(1 << 20) - 1] == 7, "brk memory is usable");
    CHECK(brk(b0) == 0 && sbrk(0) == b0, "brk shrinks");

    void *big = malloc(100 << 20);
    CHECK(big != NULL, "malloc 100 MiB");
    memset(big, 1, 100 << 20);
    free(big);

    /* A file mapping sees the file's bytes. */
    char path[] = "/tmp/hv-mmap-XXXXXX";
    int fd = mkstemp(path);
    char data[10000];
    for (int i = 0; i < (int) sizeof data; i++) {
        data[i] = (char) (i * 7);
    }
    write(fd, data, sizeof data);
    char *m = mmap(NULL, sizeof data, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(m != MAP_FAILED && memcmp(m, data, sizeof data) == 0, "file mapping has the file's bytes");
    char *m2 = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 8192);
    CHECK(m2 != MAP_FAILED && memcmp(m2, data + 8192, sizeof data - 8192) == 0 && m2[sizeof data - 8192] == 0,
          "file mapping at an offset, zero past EOF");
    close(fd);
    unlink(path);

    /* MAP_SHARED anonymous memory is shared with a forked child; private memory is not. */
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    static volatile int priv = 5;
    *shared = 1;
    pid_t pid = fork();
    if (pid == 0) {
        *shared = 42;
        priv = 99;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(*shared == 42, "MAP_SHARED is shared across fork");
    CHECK(priv == 5, "private memory is copied on fork");
    return failures;
}
