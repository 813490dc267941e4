package hv.procvm.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The siginfo of a pending signal (uapi asm-generic/siginfo.h, 128 bytes): who sent it (kill),
 * which child changed state (SIGCHLD), or which address faulted (SIGSEGV, SIGBUS, SIGILL).
 */
record SigInfo(int signo, int code, int pid, int uid, int status, long addr, boolean fault) {

    static SigInfo user(int sig, int pid, int uid) {
        return new SigInfo(sig, Signals.SI_USER, pid, uid, 0, 0, false);
    }

    static SigInfo tkill(int sig, int pid, int uid) {
        return new SigInfo(sig, Signals.SI_TKILL, pid, uid, 0, 0, false);
    }

    static SigInfo kernel(int sig) {
        return new SigInfo(sig, Signals.SI_KERNEL, 0, 0, 0, 0, false);
    }

    static SigInfo fault(int sig, int code, long addr) {
        return new SigInfo(sig, code, 0, 0, 0, addr, true);
    }

    static SigInfo child(int pid, int uid, int waitStatus) {
        boolean killed = (waitStatus & 0x7f) != 0;
        return new SigInfo(Signals.SIGCHLD, killed ? Signals.CLD_KILLED : Signals.CLD_EXITED, pid, uid,
                killed ? waitStatus & 0x7f : (waitStatus >> 8) & 0xff, 0, false);
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo).putInt(4, 0).putInt(8, code);
        if (fault) {
            b.putLong(16, addr);
        } else {
            b.putInt(16, pid).putInt(20, uid);
            if (signo == Signals.SIGCHLD) {
                b.putInt(24, status);
            }
        }
        return b.array();
    }
}
