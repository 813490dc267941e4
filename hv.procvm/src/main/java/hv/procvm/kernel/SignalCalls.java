package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** rt_sigaction, rt_sigprocmask, rt_sigreturn, sigsuspend, sigaltstack, kill and tgkill. */
final class SignalCalls {
    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

    private final Kernel k;

    SignalCalls(Kernel k) {
        this.k = k;
    }

    long rtSigaction(GuestThread t, int sig, long act, long oact, long size) {
        if (size != 8 || !Signals.valid(sig)) {
            return -Errno.EINVAL;
        }
        GuestProcess p = t.process;
        AddressSpace as = p.as;
        SigAction old = p.action(sig);
        SigAction next = null;
        if (act != 0) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) {
                return -Errno.EINVAL;
            }
            ByteBuffer b = ByteBuffer.wrap(as.readBytes(act, 24)).order(ByteOrder.LITTLE_ENDIAN);
            next = new SigAction(b.getLong(0), b.getLong(8), b.getLong(16) & ~Signals.UNBLOCKABLE);
        }
        if (oact != 0) {
            ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(old.handler()).putLong(old.flags()).putLong(old.mask());
            as.writeBytes(oact, b.array(), 0, 24);
        }
        if (next != null) {
            p.setAction(sig, next);
            if (p.ignores(sig)) {
                // POSIX: setting a pending signal to be ignored discards it.
                long bit = Signals.bit(sig);
                p.sharedPending.getAndUpdate(v -> v & ~bit);
                for (GuestThread o : p.threads) {
                    o.pending.getAndUpdate(v -> v & ~bit);
                }
            }
        }
        return 0;
    }

    long rtSigprocmask(GuestThread t, int how, long set, long oldset, long size) {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        AddressSpace as = t.process.as;
        long old = t.blocked;
        if (set != 0) {
            long s = as.readLong(set);
            long next = switch (how) {
                case SIG_BLOCK -> old | s;
                case SIG_UNBLOCK -> old & ~s;
                case SIG_SETMASK -> s;
                default -> Long.MIN_VALUE;
            };
            if (next == Long.MIN_VALUE && how != SIG_SETMASK) {
                return -Errno.EINVAL;
            }
            if (oldset != 0) {
                as.writeLong(oldset, old);
            }
            t.blocked = next & ~Signals.UNBLOCKABLE;
            return 0;
        }
        if (oldset != 0) {
            as.writeLong(oldset, old);
        }
        return 0;
    }

    long rtSigreturn(GuestThread t) {
        SignalFrames.restore(t);
        return Syscalls.NO_RETURN;
    }

    long rtSigpending(GuestThread t, long set, long size) {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        t.process.as.writeLong(set, (t.pending.get() | t.process.sharedPending.get()) & t.blocked);
        return 0;
    }

    /** sigsuspend: waits with a temporary mask; the handler's frame saves the original mask. */
    long rtSigsuspend(GuestThread t, long maskPtr, long size) {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        long mask = t.process.as.readLong(maskPtr) & ~Signals.UNBLOCKABLE;
        long old = t.blocked;
        t.blocked = mask;
        t.maskToRestore = old;
        Object idle = new Object();
        t.await(idle, () -> false, -1);
        return -Errno.EINTR;
    }

    long rtSigtimedwait(GuestThread t, long setPtr, long infoPtr, long tsPtr, long size) throws ErrnoException {
        if (size != 8) {
            return -Errno.EINVAL;
        }
        long set = t.process.as.readLong(setPtr) & ~Signals.UNBLOCKABLE;
        long timeout = PollCalls.timeout(t, tsPtr);
        long deadline = System.nanoTime() + timeout;
        Object idle = new Object();
        while (true) {
            long avail = (t.pending.get() | t.process.sharedPending.get()) & set;
            if (avail != 0) {
                int sig = Long.numberOfTrailingZeros(avail) + 1;
                long bit = Signals.bit(sig);
                SigInfo info;
                if ((t.pending.getAndUpdate(v -> v & ~bit) & bit) != 0) {
                    info = t.takeInfoForWait(sig);
                } else if ((t.process.sharedPending.getAndUpdate(v -> v & ~bit) & bit) != 0) {
                    info = t.process.takeSharedInfo(sig);
                } else {
                    continue;
                }
                if (infoPtr != 0) {
                    t.process.as.writeBytes(infoPtr, (info == null ? SigInfo.kernel(sig) : info).encode(), 0, 128);
                }
                return sig;
            }
            if (timeout >= 0 && System.nanoTime() >= deadline) {
                return -Errno.EAGAIN;
            }
            if (!t.await(idle, () -> false, 2_000_000L)) {
                return -Errno.EINTR;
            }
        }
    }

    long sigaltstack(GuestThread t, long ss, long oss) {
        AddressSpace as = t.process.as;
        if (oss != 0) {
            ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            long sp = t.cpu.x()[2];
            boolean on = t.altStackFlags != SignalFrames.SS_DISABLE && sp > t.altStackSp && sp <= t.altStackSp + t.altStackSize;
            b.putLong(0, t.altStackSp).putInt(8, on ? SignalFrames.SS_ONSTACK : t.altStackFlags).putLong(16, t.altStackSize);
            as.writeBytes(oss, b.array(), 0, 24);
        }
        if (ss != 0) {
            ByteBuffer b = ByteBuffer.wrap(as.readBytes(ss, 24)).order(ByteOrder.LITTLE_ENDIAN);
            int flags = b.getInt(8);
            if ((flags & ~(SignalFrames.SS_DISABLE | 0x80000000)) != 0) {
                return -Errno.EINVAL;
            }
            if ((flags & SignalFrames.SS_DISABLE) != 0) {
                t.altStackFlags = SignalFrames.SS_DISABLE;
                t.altStackSp = 0;
                t.altStackSize = 0;
            } else {
                long size = b.getLong(16);
                if (size < 2048) {
                    return -Errno.ENOMEM;
                }
                t.altStackSp = b.getLong(0);
                t.altStackSize = size;
                t.altStackFlags = 0;
            }
        }
        return 0;
    }

    long kill(GuestThread t, int pid, int sig) {
        if (sig < 0 || sig > Signals.NSIG) {
            return -Errno.EINVAL;
        }
        GuestProcess self = t.process;
        SigInfo info = SigInfo.user(sig, self.pid, k.uid);
        if (pid > 0) {
            GuestProcess p = k.process(pid);
            if (p == null || p.zombie) {
                return -Errno.ESRCH;
            }
            if (sig != 0) {
                k.signalProcess(p, sig, info);
            }
            return 0;
        }
        int found = 0;
        int pgid = pid == 0 ? self.pgid : -pid;
        for (GuestProcess p : k.allProcesses()) {
            if (p.zombie) {
                continue;
            }
            boolean hit = pid == -1 ? p != self : p.pgid == pgid;
            if (hit) {
                found++;
                if (sig != 0) {
                    k.signalProcess(p, sig, info);
                }
            }
        }
        return found > 0 ? 0 : -Errno.ESRCH;
    }

    long tgkill(GuestThread t, int tgid, int tid, int sig) {
        if (sig < 0 || sig > Signals.NSIG || tid <= 0) {
            return -Errno.EINVAL;
        }
        GuestThread target = k.thread(tid);
        if (target == null || (tgid != -1 && target.process.pid != tgid)) {
            return -Errno.ESRCH;
        }
        if (sig != 0) {
            k.signalThread(target, sig, SigInfo.tkill(sig, t.process.pid, k.uid));
        }
        return 0;
    }
}
