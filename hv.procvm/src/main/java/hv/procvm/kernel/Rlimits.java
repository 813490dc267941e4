package hv.procvm.kernel;

/** RLIMIT_* resource numbers (uapi asm-generic/resource.h). */
final class Rlimits {
    static final int CPU = 0, FSIZE = 1, DATA = 2, STACK = 3, CORE = 4, RSS = 5, NPROC = 6, NOFILE = 7, MEMLOCK = 8,
            AS = 9;

    private Rlimits() {
    }
}
