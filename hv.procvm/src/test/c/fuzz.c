/* Random system calls with random arguments, in forked children, to show that nothing a program
   passes can crash the process VM: each child makes a few hundred calls and exits (or dies of a
   signal: rt_sigreturn with a random frame, say); the parent kills children that block. Calls that
   would end the experiment early (exit, execve, clone) or wait forever on purpose are left out. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t state;

static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static char buffer[8192];

static long arg(void) {
    switch (next() % 8) {
        case 0: return 0;
        case 1: return -1;
        case 2: return (long) (next() % 64);
        case 3: return (long) (buffer + next() % sizeof buffer);
        case 4: return (long) buffer;
        case 5: return (long) next();
        case 6: return (long) (next() % 4096);
        default: return -100; /* AT_FDCWD */
    }
}

static int excluded(long nr) {
    switch (nr) {
        case SYS_exit: case SYS_exit_group: case SYS_clone: case SYS_execve: case SYS_execveat:
        case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait:
        case SYS_wait4: case SYS_waitid: case SYS_futex: case SYS_nanosleep: case SYS_clock_nanosleep:
        case SYS_ppoll: case SYS_pselect6: case SYS_setitimer: case SYS_vhangup: case SYS_reboot:
            return 1;
        default:
            return nr == 435; /* clone3 */
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    int signalled = 0, blocked = 0, exited = 0;
    for (int round = 0; round < rounds; round++) {
        pid_t pid = fork();
        if (pid == 0) {
            state = 0x9e3779b97f4a7c15ULL * (uint64_t) (round + 1);
            alarm(2);
            for (int i = 0; i < 300; i++) {
                for (size_t j = 0; j < sizeof buffer; j += 8) {
                    *(uint64_t *) (buffer + j) = (next() & 1) ? next() : 0x2f612f2f2e2e2f2eULL; /* "./../a/" */
                }
                long nr = (long) (next() % 300);
                if (excluded(nr)) {
                    continue;
                }
                syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
            }
            _exit(0);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid) {
            printf("FAIL waitpid\n");
            return 1;
        }
        if (WIFEXITED(status)) {
            exited++;
        } else if (WTERMSIG(status) == SIGALRM) {
            blocked++;
        } else {
            signalled++;
        }
    }
    printf("fuzz done: %d rounds, %d exited, %d killed by a signal, %d blocked\n", rounds, exited, signalled, blocked);
    return 0;
}
