/* fork, wait, pipes, execve, kill, process groups. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child: %s\n", argc > 2 ? argv[2] : "");
        return 23;
    }
    pid_t self = getpid();
    int p[2];
    CHECK(pipe(p) == 0, "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        char msg[64];
        int n = snprintf(msg, sizeof msg, "child ppid ok=%d", getppid() == self);
        write(p[1], msg, n);
        _exit(7);
    }
    CHECK(pid > 0, "fork");
    close(p[1]);
    char buf[64] = {0};
    int n = 0, r;
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) {
        n += r;
    }
    CHECK(strcmp(buf, "child ppid ok=1") == 0, "data through the pipe, child sees its parent");
    CHECK(r == 0, "EOF when the writer exits");
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7, "wait status of exit(7)");
    CHECK(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "ECHILD when no children");

    pid = fork();
    if (pid == 0) {
        execl(argv[0], argv[0], "child", "arg", (char *) NULL);
        _exit(99);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 23, "execve in the child");

    pid = fork();
    if (pid == 0) {
        for (;;) {
            pause();
        }
    }
    CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG while the child runs");
    CHECK(kill(pid, SIGTERM) == 0, "kill");
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "killed by SIGTERM");

    /* A pipeline: parent writes 100000 bytes through a child that counts them. */
    int in[2], out[2];
    pipe(in);
    pipe(out);
    pid = fork();
    if (pid == 0) {
        close(in[1]);
        close(out[0]);
        long total = 0;
        char b[1000];
        while ((r = read(in[0], b, sizeof b)) > 0) {
            total += r;
        }
        dprintf(out[1], "%ld", total);
        _exit(0);
    }
    close(in[0]);
    close(out[1]);
    char big[4096];
    memset(big, 'x', sizeof big);
    long sent = 0;
    while (sent < 100000) {
        int w = write(in[1], big, sent + 4096 > 100000 ? 100000 - sent : 4096);
        if (w <= 0) {
            break;
        }
        sent += w;
    }
    close(in[1]);
    memset(buf, 0, sizeof buf);
    read(out[0], buf, sizeof buf - 1);
    waitpid(pid, &status, 0);
    CHECK(strcmp(buf, "100000") == 0, "100000 bytes through a pipe with a blocking writer");

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    CHECK(write(p[1], "x", 1) == -1 && errno == EPIPE, "EPIPE when no reader (SIGPIPE ignored)");
    close(p[1]);

    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        pipe(p);
        close(p[0]);
        write(p[1], "x", 1);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE, "SIGPIPE kills by default");

    CHECK(setpgid(0, 0) == 0 && getpgrp() == getpid(), "setpgid");
    return failures;
}
