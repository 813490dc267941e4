/* File and directory system calls, in the directory given as argv[1]. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        printf("FAIL chdir\n");
        return 100;
    }
    int fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0640);
    CHECK(fd >= 0, "open O_CREAT|O_EXCL");
    CHECK(write(fd, "hello, world\n", 13) == 13, "write");
    CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek SEEK_SET");
    char buf[64] = {0};
    CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "world", 5) == 0, "read after lseek");
    CHECK(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "hello", 5) == 0, "pread");
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite");
    CHECK(lseek(fd, 0, SEEK_CUR) == 12, "pread/pwrite keep the offset");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 13 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0640, "fstat");
    CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate");
    struct iovec iov[2] = {{"ab", 2}, {"cd", 2}};
    CHECK(lseek(fd, 0, SEEK_END) == 5 && writev(fd, iov, 2) == 4, "writev");
    CHECK(close(fd) == 0, "close");
    CHECK(close(fd) == -1 && errno == EBADF, "close twice is EBADF");
    CHECK(open("a.txt", O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST, "O_EXCL on existing is EEXIST");
    CHECK(open("missing", O_RDONLY) == -1 && errno == ENOENT, "missing is ENOENT");
    fd = open("a.txt", O_RDONLY);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, sizeof buf) == 9 && strcmp(buf, "HELLOabcd") == 0, "content after edits");
    CHECK(read(fd, buf, sizeof buf) == 0, "EOF");
    CHECK(write(fd, "x", 1) == -1 && errno == EBADF, "write on O_RDONLY is EBADF");
    int fd2 = dup(fd);
    CHECK(fd2 > fd && lseek(fd2, 0, SEEK_CUR) == 9, "dup shares the offset");
    CHECK(dup2(fd, 20) == 20 && fcntl(20, F_GETFD) == 0, "dup2");
    CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "FD_CLOEXEC");
    close(fd);
    close(fd2);
    close(20);

    fd = open("log", O_CREAT | O_WRONLY | O_APPEND, 0644);
    write(fd, "1", 1);
    lseek(fd, 0, SEEK_SET);
    write(fd, "2", 1);
    close(fd);
    fd = open("log", O_RDONLY);
    memset(buf, 0, sizeof buf);
    CHECK(read(fd, buf, 10) == 2 && strcmp(buf, "12") == 0, "O_APPEND");
    close(fd);

    CHECK(mkdir("sub", 0755) == 0, "mkdir");
    CHECK(mkdir("sub", 0755) == -1 && errno == EEXIST, "mkdir existing is EEXIST");
    CHECK(rename("a.txt", "sub/b.txt") == 0, "rename");
    CHECK(access("sub/b.txt", R_OK) == 0 && access("a.txt", F_OK) == -1, "access");
    CHECK(symlink("sub/b.txt", "link") == 0, "symlink");
    char target[256] = {0};
    CHECK(readlink("link", target, sizeof target) == 9 && strcmp(target, "sub/b.txt") == 0, "readlink");
    CHECK(lstat("link", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the link");
    CHECK(stat("link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 9, "stat follows the link");
    CHECK(link("sub/b.txt", "hard") == 0 && stat("hard", &st) == 0 && st.st_nlink == 2, "link");

    DIR *d = opendir(".");
    int n = 0, sawSub = 0, sawDot = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        n++;
        if (strcmp(e->d_name, "sub") == 0 && e->d_type == DT_DIR) {
            sawSub = 1;
        }
        if (strcmp(e->d_name, ".") == 0) {
            sawDot = 1;
        }
    }
    CHECK(d != NULL && n == 6 && sawSub && sawDot, "readdir: . .. log sub link hard");
    closedir(d);

    int dfd = open("sub", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0 && faccessat(dfd, "b.txt", R_OK, 0) == 0, "openat-relative access");
    CHECK(fstatat(dfd, "b.txt", &st, 0) == 0 && st.st_size == 9, "fstatat");
    CHECK(unlinkat(dfd, "b.txt", 0) == 0, "unlinkat");
    CHECK(fchdir(dfd) == 0 && getcwd(target, sizeof target) && strstr(target, "/sub") != NULL, "fchdir");
    CHECK(chdir("..") == 0, "chdir ..");
    close(dfd);
    CHECK(rmdir("sub") == 0, "rmdir");
    CHECK(unlink("link") == 0 && unlink("hard") == 0 && unlink("log") == 0, "unlink");
    CHECK(rmdir("missing") == -1 && errno == ENOENT, "rmdir missing is ENOENT");
    CHECK(open(".", O_WRONLY) == -1 && errno == EISDIR, "writing a directory is EISDIR");
    int p[2];
    CHECK(pipe(p) == 0 && lseek(p[0], 0, SEEK_CUR) == -1 && errno == ESPIPE, "lseek on a pipe is ESPIPE");
    int null = open("/dev/null", O_RDWR);
    CHECK(null >= 0 && write(null, "x", 1) == 1 && read(null, buf, 1) == 0, "/dev/null");
    return failures;
}
