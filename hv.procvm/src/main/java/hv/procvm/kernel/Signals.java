package hv.procvm.kernel;

/**
 * Linux signal numbers and actions for riscv64 (uapi asm-generic/signal.h, signal(7)), and the
 * encoding of wait statuses (what wait4 reports, bits/waitstatus.h).
 */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21,
            SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28,
            SIGIO = 29, SIGPWR = 30, SIGSYS = 31;
    public static final int NSIG = 64;

    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000L,
            SA_RESTART = 0x10000000L, SA_NODEFER = 0x40000000L, SA_RESETHAND = 0x80000000L;

    /** si_code values. */
    public static final int SI_USER = 0, SI_TKILL = -6, SI_KERNEL = 0x80, SEGV_MAPERR = 1, SEGV_ACCERR = 2,
            ILL_ILLOPC = 1, BUS_ADRALN = 1, TRAP_BRKPT = 1, CLD_EXITED = 1, CLD_KILLED = 2;

    /** Signals that can be neither caught, blocked nor ignored. */
    public static final long UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);

    private Signals() {
    }

    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    public static boolean valid(long sig) {
        return sig >= 1 && sig <= NSIG;
    }

    /** Default action is to ignore (signal(7): Ign), including the stop/continue signals, which HV does not model. */
    public static boolean defaultIgnored(int sig) {
        return switch (sig) {
            case SIGCHLD, SIGURG, SIGWINCH, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> true;
            default -> false;
        };
    }

    /** wait status of a process that called exit(code). */
    public static int exitedStatus(int code) {
        return (code & 0xff) << 8;
    }

    /** wait status of a process killed by a signal. */
    public static int killedStatus(int sig) {
        return sig & 0x7f;
    }

    /** The shell's view of a wait status, which is what `hv exec` exits with: the code, or 128 + signal. */
    public static int shellStatus(int waitStatus) {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }
}
