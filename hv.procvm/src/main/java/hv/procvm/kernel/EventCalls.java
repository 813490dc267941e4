package hv.procvm.kernel;

import hv.procvm.fs.EpollFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.EventFd;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.Readiness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Event descriptors: eventfd2 and epoll (epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2), and
 * the facilities HV answers with a clean refusal: inotify (ENOSYS, reported once) and System V IPC
 * (every call fails as on a system where no IPC object exists and none can be created).
 */
final class EventCalls {
    /** struct epoll_event on riscv64: u32 events, 4 bytes of padding, u64 data (packed only on x86-64). */
    static final int EPOLL_EVENT_SIZE = 16;
    static final int EFD_SEMAPHORE = EventFd.EFD_SEMAPHORE;
    static final int IPC_PRIVATE = 0, IPC_CREAT = 01000;
    private static final long REPORT_INOTIFY = -1, REPORT_SYSV = -2;
    /** Re-check readiness at least this often: host streams (stdin) have no wake-up of their own. */
    private static final long HOST_RECHECK_NANOS = 5_000_000L;

    private final Kernel k;

    EventCalls(Kernel k) {
        this.k = k;
    }

    // ------------------------------------------------------------------ eventfd

    long eventfd2(GuestThread t, long initval, int flags) {
        if ((flags & ~(EFD_SEMAPHORE | OpenFile.O_NONBLOCK | OpenFile.O_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        EventFd e = new EventFd(initval, flags, k.uid, k.gid);
        return t.process.fds.install(e, 0, (flags & OpenFile.O_CLOEXEC) != 0);
    }

    // ------------------------------------------------------------------ epoll

    long epollCreate1(GuestThread t, int flags) {
        if ((flags & ~OpenFile.O_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        EpollFile ep = new EpollFile(t.process.fds, k.uid, k.gid);
        return t.process.fds.install(ep, 0, (flags & OpenFile.O_CLOEXEC) != 0);
    }

    long epollCtl(GuestThread t, int epfd, int op, int fd, long eventPtr) throws ErrnoException {
        OpenFile epf = t.process.fds.acquire(epfd);
        if (epf == null) {
            return -Errno.EBADF;
        }
        try {
            OpenFile target = t.process.fds.acquire(fd);
            if (target == null) {
                return -Errno.EBADF;
            }
            try {
                if (!(epf instanceof EpollFile ep)) {
                    return -Errno.EINVAL;
                }
                int events = 0;
                long data = 0;
                if (op != EpollFile.CTL_DEL) {
                    events = t.process.as.readInt(eventPtr);
                    data = t.process.as.readLong(eventPtr + 8);
                }
                return ep.control(op, fd, target, events, data);
            } finally {
                target.release();
            }
        } finally {
            epf.release();
        }
    }

    /** epoll_pwait (timeout in ms, -1 = forever) and epoll_pwait2 (timeout as a timespec). */
    long epollPwait(GuestThread t, int epfd, long eventsPtr, int maxEvents, long timeoutNanos, long maskPtr, long maskSize)
            throws ErrnoException {
        if (maxEvents <= 0 || maxEvents > Integer.MAX_VALUE / EPOLL_EVENT_SIZE) {
            return -Errno.EINVAL;
        }
        OpenFile f = t.process.fds.acquire(epfd);
        if (f == null) {
            return -Errno.EBADF;
        }
        try {
            if (!(f instanceof EpollFile ep)) {
                return -Errno.EINVAL;
            }
            boolean masked = maskPtr != 0;
            if (masked) {
                if (maskSize != 8) {
                    return -Errno.EINVAL;
                }
                t.beginTemporaryMask(t.process.as.readLong(maskPtr));
            }
            boolean interrupted = false;
            try {
                long deadline = System.nanoTime() + timeoutNanos;
                while (true) {
                    long seen = Readiness.sequence();
                    List<EpollFile.Event> ready = ep.collect(maxEvents);
                    long left = deadline - System.nanoTime();
                    if (!ready.isEmpty() || timeoutNanos == 0 || (timeoutNanos > 0 && left <= 0)) {
                        return write(t, eventsPtr, ready);
                    }
                    long wait = timeoutNanos < 0 ? HOST_RECHECK_NANOS : Math.min(left, HOST_RECHECK_NANOS);
                    if (!Readiness.await(t, seen, wait)) {
                        interrupted = true;
                        t.restartAllowed = false; // epoll_wait is never restarted after a handler (EINTR)
                        return -Errno.ERESTARTSYS;
                    }
                }
            } finally {
                if (masked) {
                    t.endTemporaryMask(interrupted);
                }
            }
        } finally {
            f.release();
        }
    }

    private static long write(GuestThread t, long ptr, List<EpollFile.Event> ready) {
        if (ready.isEmpty()) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocate(ready.size() * EPOLL_EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ready.size(); i++) {
            b.putInt(i * EPOLL_EVENT_SIZE, ready.get(i).events());
            b.putLong(i * EPOLL_EVENT_SIZE + 8, ready.get(i).data());
        }
        t.process.as.writeBytes(ptr, b.array(), 0, b.capacity());
        return ready.size();
    }

    /** epoll_wait's int timeout in ms as nanoseconds (negative = forever). */
    static long millis(int timeout) {
        return timeout < 0 ? -1 : timeout * 1_000_000L;
    }

    // ------------------------------------------------------------------ refused facilities

    long inotify(long nr) {
        k.reportOnce(REPORT_INOTIFY, "inotify is not supported (" + SyscallNumbers.name(nr) + " returns ENOSYS;"
                + " programs fall back to polling)");
        return -Errno.ENOSYS;
    }

    /**
     * System V IPC: no IPC object exists and none can be created. *get without IPC_CREAT finds
     * nothing (ENOENT); creating one fails as when the system-wide limit (SHMMNI, SEMMNI, MSGMNI)
     * is reached (ENOSPC); every call naming an identifier finds it invalid (EINVAL).
     */
    long sysv(long nr, long key, long flags) {
        k.reportOnce(REPORT_SYSV, "System V IPC is not supported (" + SyscallNumbers.name(nr)
                + " and the other shm/sem/msg calls fail as if no IPC object existed)");
        return switch ((int) nr) {
            case SyscallNumbers.SHMGET, SyscallNumbers.SEMGET, SyscallNumbers.MSGGET ->
                    key == IPC_PRIVATE || (flags & IPC_CREAT) != 0 ? -Errno.ENOSPC : -Errno.ENOENT;
            default -> -Errno.EINVAL;
        };
    }
}
