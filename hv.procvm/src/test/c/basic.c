/* argv, envp, auxv, exit status, stdio. */
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) {
        printf("argv[%d]=%s\n", i, argv[i]);
    }
    const char *v = getenv("HV_TEST");
    printf("HV_TEST=%s\n", v ? v : "(unset)");
    CHECK(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ");
    CHECK(getauxval(AT_RANDOM) != 0, "AT_RANDOM");
    CHECK(getauxval(AT_PHDR) != 0 && getauxval(AT_PHNUM) > 0, "AT_PHDR/AT_PHNUM");
    CHECK(getauxval(AT_ENTRY) != 0, "AT_ENTRY");
    CHECK(getauxval(AT_EXECFN) != 0 && strcmp((char *) getauxval(AT_EXECFN), argv[0]) == 0, "AT_EXECFN");
    CHECK(getauxval(AT_UID) == getuid() && getauxval(AT_GID) == getgid(), "AT_UID/AT_GID");
    CHECK((getauxval(AT_HWCAP) & (1 << ('i' - 'a'))) != 0, "AT_HWCAP has I");
    CHECK(getpid() > 1 && getppid() >= 1, "pids");
    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL && cwd[0] == '/', "getcwd");
    printf("cwd=%s\n", cwd);
    char maps[8192] = {0};
    FILE *mf = fopen("/proc/self/maps", "r");
    CHECK(mf != NULL && fread(maps, 1, sizeof maps - 1, mf) > 0 && strstr(maps, "[stack]") != NULL
          && strstr(maps, argv[0]) != NULL && strstr(maps, "r-xp") != NULL, "/proc/self/maps describes the guest");
    if (mf) {
        fclose(mf);
    }
    char cmd[4096] = {0};
    FILE *cf = fopen("/proc/self/cmdline", "r");
    size_t cn = cf ? fread(cmd, 1, sizeof cmd, cf) : 0;
    CHECK(cn == strlen(argv[0]) + 1 + (argc > 1 ? strlen(argv[1]) + 1 : 0) + (argc > 2 ? strlen(argv[2]) + 1 : 0)
          && strcmp(cmd, argv[0]) == 0, "/proc/self/cmdline is argv");
    if (cf) {
        fclose(cf);
    }
    errno = 0;
    CHECK(syscall(333) == -1 && errno == ENOSYS, "unknown system call is ENOSYS");
    CHECK(syscall(333) == -1 && errno == ENOSYS, "and stays ENOSYS");
    fprintf(stderr, "to stderr\n");
    if (argc > 1 && strncmp(argv[1], "exit", 4) == 0) {
        return atoi(argv[1] + 4);
    }
    return failures;
}
