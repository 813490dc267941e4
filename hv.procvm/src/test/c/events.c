/* eventfd, epoll, ppoll/pselect with a signal mask, job control (process groups, tcgetpgrp), and
   the refused facilities (inotify, System V IPC). Runs under Linux (qemu-riscv64) too; "hv" as
   argv[1] adds the checks of HV's documented refusals, which a real kernel would not give. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/select.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile int got_usr1;
static void on_usr1(int sig) { (void) sig; got_usr1++; }

static long elapsed_ms(struct timespec *a) {
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static void test_eventfd(void) {
    int e = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(e >= 0, "eventfd");
    CHECK(fcntl(e, F_GETFD) == FD_CLOEXEC && (fcntl(e, F_GETFL) & O_NONBLOCK), "eventfd flags");
    uint64_t v = 4;
    CHECK(write(e, &v, 8) == 8, "eventfd write adds");
    v = 0;
    CHECK(read(e, &v, 8) == 8 && v == 7, "eventfd read returns the sum");
    CHECK(read(e, &v, 8) == -1 && errno == EAGAIN, "eventfd empty: EAGAIN");
    CHECK(read(e, &v, 4) == -1 && errno == EINVAL, "eventfd short read: EINVAL");
    v = UINT64_MAX;
    CHECK(write(e, &v, 8) == -1 && errno == EINVAL, "eventfd write of ULLONG_MAX: EINVAL");
    v = UINT64_MAX - 1;
    CHECK(write(e, &v, 8) == 8, "eventfd to its maximum");
    v = 1;
    CHECK(write(e, &v, 8) == -1 && errno == EAGAIN, "eventfd overflow: EAGAIN");
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE);
    CHECK(read(s, &v, 8) == 8 && v == 1 && read(s, &v, 8) == 8 && v == 1, "semaphore reads 1 at a time");
    CHECK(eventfd(0, 0x40) == -1 && errno == EINVAL, "eventfd bad flags: EINVAL");

    /* a blocking read woken by another process's write */
    pid_t c = fork();
    if (c == 0) {
        usleep(50000);
        uint64_t one = 5;
        write(s, &one, 8);
        _exit(0);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(read(s, &v, 8) == 8 && v == 1 && elapsed_ms(&t0) >= 30, "blocking eventfd read woken by a write");
    waitpid(c, NULL, 0);
    close(s);
}

static void test_epoll(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC, "epoll_create1");
    CHECK(epoll_create1(1) == -1 && errno == EINVAL, "epoll_create1 bad flags");
    int p[2];
    pipe(p);
    int e = eventfd(0, EFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1122334455667788ULL};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl ADD pipe");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST, "ADD twice: EEXIST");
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 42;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev) == 0, "epoll_ctl ADD eventfd (edge-triggered)");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev) == -1 && errno == EINVAL, "epoll watching itself: EINVAL");
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, 99, &ev) == -1 && errno == EBADF, "bad fd: EBADF");
    CHECK(epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EINVAL, "not an epoll fd: EINVAL");
    int reg = open("/proc/self/exe", O_RDONLY);
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev) == -1 && errno == EPERM, "regular file: EPERM");
    close(reg);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == -1 && errno == ENOENT, "DEL of an unwatched fd: ENOENT");

    struct epoll_event out[4];
    CHECK(epoll_wait(ep, out, 4, 0) == 0, "nothing ready");
    CHECK(epoll_wait(ep, out, 0, 0) == -1 && errno == EINVAL, "maxevents 0: EINVAL");
    write(p[1], "x", 1);
    int n = epoll_wait(ep, out, 4, 1000);
    CHECK(n == 1 && out[0].events == EPOLLIN && out[0].data.u64 == 0x1122334455667788ULL, "pipe readable, data returned");
    CHECK(epoll_wait(ep, out, 4, 0) == 1, "level-triggered: still reported");

    uint64_t one = 1;
    write(e, &one, 8);
    n = epoll_wait(ep, out, 4, 0);
    int sawe = 0;
    for (int i = 0; i < n; i++) sawe += out[i].data.u64 == 42;
    CHECK(n == 2 && sawe == 1, "eventfd reported once it is written");
    n = epoll_wait(ep, out, 4, 0);
    sawe = 0;
    for (int i = 0; i < n; i++) sawe += out[i].data.u64 == 42;
    CHECK(sawe == 0, "edge-triggered: not reported again without a new event");
    write(e, &one, 8);
    n = epoll_wait(ep, out, 4, 0);
    sawe = 0;
    for (int i = 0; i < n; i++) sawe += out[i].data.u64 == 42;
    CHECK(sawe == 1, "edge-triggered: a new write is a new event");

    char c;
    read(p[0], &c, 1);
    uint64_t v;
    read(e, &v, 8);
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 7;
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0, "MOD to one-shot");

    /* a blocking wait woken by a child writing to the pipe */
    pid_t ch = fork();
    if (ch == 0) {
        usleep(50000);
        write(p[1], "y", 1);
        _exit(0);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    n = epoll_wait(ep, out, 4, 5000);
    CHECK(n == 1 && out[0].data.u64 == 7 && elapsed_ms(&t0) >= 30 && elapsed_ms(&t0) < 4000, "epoll_wait blocks until a write");
    CHECK(epoll_wait(ep, out, 4, 0) == 0, "one-shot: disabled after one report");
    waitpid(ch, NULL, 0);
    CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 && epoll_wait(ep, out, 4, 0) == 1, "MOD re-arms a one-shot entry");

    close(p[1]);
    read(p[0], &c, 1);
    ev.events = EPOLLIN;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    n = epoll_wait(ep, out, 4, 0);
    CHECK(n == 1 && (out[0].events & EPOLLHUP), "writer closed: EPOLLHUP");
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 && epoll_wait(ep, out, 4, 0) == 0, "DEL removes the entry");

    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(epoll_wait(ep, out, 4, 100) == 0 && elapsed_ms(&t0) >= 90, "timeout");

    /* nested: an epoll fd is readable when its instance has a ready entry */
    int outer = epoll_create1(0);
    ev.events = EPOLLIN;
    CHECK(epoll_ctl(outer, EPOLL_CTL_ADD, ep, &ev) == 0, "epoll inside epoll");
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, outer, &ev) == -1 && errno == ELOOP, "a loop of epolls: ELOOP");
    struct epoll_event ee = {.events = EPOLLIN, .data.u64 = 9};
    epoll_ctl(ep, EPOLL_CTL_MOD, e, &ee);
    CHECK(epoll_wait(outer, out, 4, 0) == 0, "inner empty: outer not ready");
    write(e, &one, 8);
    CHECK(epoll_wait(outer, out, 4, 0) == 1, "inner ready: outer ready");

    /* a signal interrupts epoll_wait (EINTR, never restarted) */
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigaction(SIGUSR1, &sa, NULL);
    read(e, &v, 8);
    pid_t parent = getpid();
    ch = fork();
    if (ch == 0) {
        usleep(50000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    got_usr1 = 0;
    CHECK(epoll_wait(ep, out, 4, 5000) == -1 && errno == EINTR && got_usr1 == 1, "signal: EINTR despite SA_RESTART");
    waitpid(ch, NULL, 0);

    /* epoll_pwait's mask blocks the signal during the wait; it arrives after */
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    got_usr1 = 0;
    CHECK(epoll_pwait(ep, out, 4, 50, &block) == 0 && got_usr1 == 0,
          "epoll_pwait with SIGUSR1 still blocked: a timeout");
    sigemptyset(&none);
    CHECK(epoll_pwait(ep, out, 4, 1000, &none) == -1 && errno == EINTR && got_usr1 == 1,
          "epoll_pwait unblocking a pending signal: EINTR, handler ran");
    sigprocmask(SIG_SETMASK, &none, NULL);
    close(outer);
    close(ep);
    close(e);
    close(p[0]);
}

static void test_ppoll_mask(void) {
    int p[2];
    pipe(p);
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGUSR1);
    got_usr1 = 0;
    struct pollfd pf = {.fd = p[0], .events = POLLIN};
    struct timespec ts = {0, 20000000};
    sigemptyset(&none);
    CHECK(ppoll(&pf, 1, &ts, &none) == -1 && errno == EINTR && got_usr1 == 1, "ppoll's mask lets the pending signal in");
    int blocked = sigprocmask(SIG_SETMASK, NULL, &block) == 0 && sigismember(&block, SIGUSR1);
    CHECK(blocked, "the old mask is back after the handler");
    kill(getpid(), SIGUSR1);
    got_usr1 = 0;
    fd_set r;
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &none) == -1 && errno == EINTR && got_usr1 == 1, "pselect's mask too");
    write(p[1], "z", 1);
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &block) == 1 && FD_ISSET(p[0], &r), "pselect ready");
    /* a poll woken by a write from another process: well before the timeout */
    char c;
    read(p[0], &c, 1);
    pid_t ch = fork();
    if (ch == 0) {
        usleep(30000);
        write(p[1], "w", 1);
        _exit(0);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK(poll(&pf, 1, 5000) == 1 && elapsed_ms(&t0) < 4000, "poll woken by a write");
    waitpid(ch, NULL, 0);
    sigprocmask(SIG_SETMASK, &none, NULL);
    close(p[0]);
    close(p[1]);
}

static void test_job_control(void) {
    pid_t self = getpid();
    CHECK(setpgid(0, 0) == 0 && getpgrp() == self, "setpgid(0, 0)");
    CHECK(getsid(0) != self, "not a session leader");
    CHECK(setpgid(0, 999999) == -1 && errno == EPERM, "joining a group that does not exist: EPERM");
    CHECK(setpgid(1, 0) == -1 && errno == ESRCH, "setpgid of a process that is not ours: ESRCH");
    int go[2];
    pipe(go);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(go[0], &b, 1);
        _exit(getpgrp() == getpid() ? 0 : 1);
    }
    CHECK(setpgid(c, c) == 0 && getpgid(c) == c, "parent puts its child in a new group");
    CHECK(setpgid(c, self) == 0 && getpgid(c) == self, "and back into its own");
    CHECK(setpgid(c, c) == 0, "new group again");
    write(go[1], "g", 1);
    int st;
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child saw its own group");
    c = fork();
    if (c == 0) {
        pid_t s = setsid();
        int ok = s == getpid() && getsid(0) == s && getpgrp() == s;
        ok = ok && setpgid(0, 0) == -1 && errno == EPERM;
        _exit(ok ? 0 : 1);
    }
    CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0, "setsid: a new session, whose leader cannot setpgid");
    int p[2];
    pipe(p);
    CHECK(tcgetpgrp(p[0]) == -1 && errno == ENOTTY, "tcgetpgrp on a pipe: ENOTTY");
    CHECK(tcsetpgrp(p[0], self) == -1 && errno == ENOTTY, "tcsetpgrp on a pipe: ENOTTY");
    close(p[0]);
    close(p[1]);
}

/* setpgid on a child after its execve: EACCES. (Under qemu-riscv64 without binfmt_misc the child
   cannot exec a riscv64 program, hence only with "hv".) */
static void test_setpgid_after_exec(const char *exe) {
    pid_t c = fork();
    if (c == 0) {
        execl(exe, exe, "sleep", (char *) NULL);
        _exit(99);
    }
    usleep(100000);
    CHECK(setpgid(c, c) == -1 && errno == EACCES, "child that has exec'd: EACCES");
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
}

static void test_refusals(void) {
    /* HV's streams in the tests are files: no controlling terminal (Linux: ENXIO) */
    CHECK(open("/dev/tty", O_RDWR) == -1 && errno == ENXIO, "/dev/tty without a terminal: ENXIO");
    CHECK(inotify_init1(0) == -1 && errno == ENOSYS, "inotify: ENOSYS");
    CHECK(shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600) == -1 && errno == ENOSPC, "shmget create: ENOSPC");
    CHECK(shmget(1234, 4096, 0) == -1 && errno == ENOENT, "shmget lookup: ENOENT");
    CHECK(shmat(5, NULL, 0) == (void *) -1 && errno == EINVAL, "shmat: EINVAL");
    CHECK(semget(1234, 1, 0) == -1 && errno == ENOENT, "semget lookup: ENOENT");
    CHECK(semctl(3, 0, IPC_RMID) == -1 && errno == EINVAL, "semctl: EINVAL");
    CHECK(msgget(IPC_PRIVATE, 0600) == -1 && errno == ENOSPC, "msgget create: ENOSPC");
    CHECK(msgctl(3, IPC_RMID, NULL) == -1 && errno == EINVAL, "msgctl: EINVAL");
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "sleep") == 0) {
        sleep(10);
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    test_eventfd();
    test_epoll();
    test_ppoll_mask();
    test_job_control();
    if (argc > 1 && strcmp(argv[1], "hv") == 0) {
        test_refusals();
        test_setpgid_after_exec(argv[0]);
    }
    return failures;
}
