/* Signal handlers, SA_SIGINFO, masks, pending signals, alarm, sigsuspend. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t got;
static volatile pid_t sender;
static volatile int depthSeen;

static void onUsr(int sig, siginfo_t *si, void *uc) {
    (void) uc;
    got = sig;
    sender = si->si_pid;
}

static void onAlarm(int sig) {
    got = sig;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = onUsr;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction");
    struct sigaction old;
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_sigaction == onUsr, "sigaction reads back");
    CHECK(raise(SIGUSR1) == 0 && got == SIGUSR1 && sender == getpid(), "handler runs with siginfo");

    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    got = 0;
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "block SIGUSR1");
    kill(getpid(), SIGUSR1);
    CHECK(got == 0, "blocked signal is not delivered");
    CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1), "it is pending");
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0 && got == SIGUSR1, "delivered on unblock");

    signal(SIGALRM, onAlarm);
    got = 0;
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &set, NULL);
    while (got == 0) {
        sigsuspend(&empty);
    }
    CHECK(got == SIGALRM, "setitimer + sigsuspend");
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK(sigismember(&now, SIGUSR1), "sigsuspend restores the mask");

    signal(SIGUSR2, SIG_IGN);
    CHECK(raise(SIGUSR2) == 0, "ignored signal does nothing");

    /* A handler that interrupts a blocking read without SA_RESTART makes it fail with EINTR. */
    signal(SIGALRM, onAlarm);
    struct sigaction na = {0};
    na.sa_handler = onAlarm;
    sigaction(SIGALRM, &na, NULL);
    int p[2];
    pipe(p);
    got = 0;
    alarm(1);
    char c;
    CHECK(read(p[0], &c, 1) == -1 && errno == EINTR && got == SIGALRM, "EINTR from a blocking read");
    return failures;
}
