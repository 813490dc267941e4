/* Fatal signals: the process VM exits with 128 + the signal number. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        return 1;
    }
    if (strcmp(argv[1], "segv") == 0) {
        *(volatile int *) 8 = 1;
    } else if (strcmp(argv[1], "ill") == 0) {
        __asm__ volatile(".word 0");
    } else if (strcmp(argv[1], "abort") == 0) {
        abort();
    } else if (strcmp(argv[1], "kill") == 0) {
        raise(SIGKILL);
    }
    return 2;
}
