package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.cpu.elf.ElfException;
import hv.procvm.mem.AddressSpace;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Processes and threads: exit, clone (threads on new host threads; fork and vfork as new process
 * objects inside the JVM), execve, wait4/waitid, futex, process groups.
 */
final class ProcessCalls {
    static final long CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PIDFD = 0x1000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000,
            CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
            CLONE_CHILD_SETTID = 0x1000000;
    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | CLONE_IO. */
    static final long NAMESPACES = 0x20000L | 0x02000000L | 0x04000000L | 0x08000000L | 0x10000000L | 0x20000000L
            | 0x40000000L | 0x80000000L;
    static final int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    static final int P_ALL = 0, P_PID = 1, P_PGID = 2;

    private final Kernel k;

    ProcessCalls(Kernel k) {
        this.k = k;
    }

    // ------------------------------------------------------------------ exit

    long exit(GuestThread t, int code) {
        GuestProcess p = t.process;
        if (p.threads.size() <= 1) {
            k.exitGroup(p, Signals.exitedStatus(code), t);
        }
        t.exitRequested = true;
        return Syscalls.NO_RETURN;
    }

    long exitGroup(GuestThread t, int code) {
        k.exitGroup(t.process, Signals.exitedStatus(code), t);
        t.exitRequested = true;
        return Syscalls.NO_RETURN;
    }

    // ------------------------------------------------------------------ clone

    private static void copyRegisters(GuestThread from, GuestThread to, long newsp, long flags, long tls) {
        System.arraycopy(from.cpu.x(), 0, to.cpu.x(), 0, 32);
        System.arraycopy(from.cpu.f(), 0, to.cpu.f(), 0, 32);
        to.cpu.setFcsr(from.cpu.fcsr());
        to.cpu.setPc(from.cpu.pc() + 4);
        to.cpu.x()[10] = 0;
        if (newsp != 0) {
            to.cpu.x()[2] = newsp;
        }
        if ((flags & CLONE_SETTLS) != 0) {
            to.cpu.x()[4] = tls;
        }
        to.blocked = from.blocked;
    }

    long clone(GuestThread t, long flags, long newsp, long ptid, long tls, long ctid) {
        if ((flags & NAMESPACES) != 0) {
            return -Errno.EPERM;
        }
        if ((flags & CLONE_PIDFD) != 0) {
            return -Errno.EINVAL;
        }
        GuestProcess p = t.process;
        if (k.threadCount() >= Kernel.MAX_THREADS) {
            return -Errno.EAGAIN; // every guest thread is a host thread: a fork bomb stops here
        }
        if ((flags & CLONE_THREAD) != 0) {
            if ((flags & (CLONE_VM | CLONE_SIGHAND)) != (CLONE_VM | CLONE_SIGHAND)) {
                return -Errno.EINVAL;
            }
            int tid = k.newPid();
            GuestThread c = new GuestThread(k, p, tid, k.cpus.create(tid));
            copyRegisters(t, c, newsp, flags, tls);
            AddressSpace as = p.as;
            if ((flags & CLONE_PARENT_SETTID) != 0) {
                as.writeInt(ptid, tid);
            }
            if ((flags & CLONE_CHILD_SETTID) != 0) {
                as.writeInt(ctid, tid);
            }
            if ((flags & CLONE_CHILD_CLEARTID) != 0) {
                c.clearChildTid = ctid;
            }
            c.activate(as);
            k.register(c);
            c.start();
            return tid;
        }
        return fork(t, flags, newsp, ptid, tls, ctid);
    }

    private long fork(GuestThread t, long flags, long newsp, long ptid, long tls, long ctid) {
        GuestProcess p = t.process;
        int pid = k.newPid();
        GuestProcess c = new GuestProcess(k, pid);
        boolean shareVm = (flags & CLONE_VM) != 0;
        c.as = shareVm ? p.as : p.as.fork(k.newAsid());
        c.borrowedMm = shareVm;
        c.fds = p.fds.copy();
        c.cwd = p.cwd;
        c.umask = p.umask;
        c.copyActionsFrom(p);
        c.exeGuestPath = p.exeGuestPath;
        c.exeHostPath = p.exeHostPath;
        c.comm = p.comm;
        for (int i = 0; i < c.rlimits.length; i++) {
            c.rlimits[i] = p.rlimits[i].clone();
        }
        c.exitSignal = (int) (flags & CSIGNAL);
        CountDownLatch vfork = (flags & CLONE_VFORK) != 0 ? new CountDownLatch(1) : null;
        c.vforkDone = vfork;
        GuestThread ct = new GuestThread(k, c, pid, k.cpus.create(pid));
        copyRegisters(t, ct, newsp, flags, tls);
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            p.as.writeInt(ptid, pid);
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            c.as.writeInt(ctid, pid);
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            ct.clearChildTid = ctid;
        }
        synchronized (k.tree) {
            GuestProcess parent = (flags & CLONE_PARENT) != 0 && p.parent != null ? p.parent : p;
            c.parent = parent;
            parent.children.add(c);
            c.pgid = p.pgid;
            c.sid = p.sid;
        }
        ct.activate(c.as);
        k.register(c);
        k.register(ct);
        ct.start();
        if (vfork != null) {
            // vfork(2): the parent is suspended until the child execs or exits (it borrows our memory).
            try {
                while (!vfork.await(50, TimeUnit.MILLISECONDS)) {
                    if (p.exiting || t.exitRequested) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return pid;
    }

    // ------------------------------------------------------------------ execve

    long execve(GuestThread t, long pathPtr, long argvPtr, long envpPtr) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        return exec(t, path, Syscalls.stringArray(t, argvPtr), Syscalls.stringArray(t, envpPtr));
    }

    long execveat(GuestThread t, int dirfd, long pathPtr, long argvPtr, long envpPtr, int flags) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        if (!path.startsWith("/") && dirfd != GuestPaths.AT_FDCWD) {
            return -Errno.ENOSYS; // relative to a directory fd: not needed by the programs HV runs
        }
        return exec(t, path, Syscalls.stringArray(t, argvPtr), Syscalls.stringArray(t, envpPtr));
    }

    private long exec(GuestThread t, String path, List<byte[]> argv, List<byte[]> envp) throws ErrnoException {
        GuestProcess p = t.process;
        ProgramLoader.ProgramFile file = ProgramLoader.resolveForExec(k, p, path);
        ProgramLoader.Loaded l;
        try {
            l = ProgramLoader.load(k, p, file, argv, envp, 0);
        } catch (ElfException e) {
            return -Errno.ENOEXEC;
        }
        // Point of no return: the other threads go, the old image goes (de_thread, exec_mmap).
        for (GuestThread o : p.threads) {
            if (o != t) {
                o.clearChildTid = 0;
                o.exitRequested = true;
                o.wake();
            }
        }
        for (GuestThread o : p.threads) {
            Thread h = o.hostThread();
            if (o != t && h != null) {
                try {
                    h.join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        AddressSpace old = p.as;
        t.deactivate(old);
        boolean borrowed = p.borrowedMm;
        p.as = l.as();
        p.borrowedMm = false;
        if (!borrowed) {
            old.destroy();
        }
        synchronized (k.tree) {
            p.execed = true;
        }
        p.fds.closeOnExec();
        p.resetCaughtActions();
        t.altStackFlags = SignalFrames.SS_DISABLE;
        t.altStackSp = 0;
        t.altStackSize = 0;
        t.clearChildTid = 0;
        t.robustList = 0;
        ProgramLoader.enter(t, l);
        CountDownLatch v = p.vforkDone;
        if (v != null) {
            p.vforkDone = null;
            v.countDown();
        }
        return Syscalls.NO_RETURN;
    }

    // ------------------------------------------------------------------ wait

    private static boolean matches(GuestProcess c, int pid, GuestProcess self) {
        if (pid > 0) {
            return c.pid == pid;
        }
        if (pid == -1) {
            return true;
        }
        return c.pgid == (pid == 0 ? self.pgid : -pid);
    }

    /** Finds a matching zombie child; null if none yet; throws ECHILD if there is no matching child at all. */
    private GuestProcess zombie(GuestProcess p, int pid) throws ErrnoException {
        boolean any = false;
        for (GuestProcess c : p.children) {
            if (matches(c, pid, p)) {
                any = true;
                if (c.zombie) {
                    return c;
                }
            }
        }
        if (!any) {
            throw new ErrnoException(Errno.ECHILD);
        }
        return null;
    }

    private boolean waitable(GuestProcess p, int pid) {
        for (GuestProcess c : p.children) {
            if (matches(c, pid, p) && c.zombie) {
                return true;
            }
        }
        for (GuestProcess c : p.children) {
            if (matches(c, pid, p)) {
                return false;
            }
        }
        return true;
    }

    long wait4(GuestThread t, int pid, long statusPtr, int options, long rusagePtr) throws ErrnoException {
        GuestProcess p = t.process;
        while (true) {
            GuestProcess z;
            synchronized (k.tree) {
                z = zombie(p, pid);
                if (z != null) {
                    p.children.remove(z);
                    k.reap(z);
                }
            }
            if (z != null) {
                if (statusPtr != 0) {
                    t.process.as.writeInt(statusPtr, z.waitStatus);
                }
                if (rusagePtr != 0) {
                    t.process.as.writeBytes(rusagePtr, new byte[144], 0, 144);
                }
                return z.pid;
            }
            if ((options & WNOHANG) != 0) {
                return 0;
            }
            if (!t.await(k.tree, () -> waitable(p, pid), -1)) {
                return -Errno.ERESTARTSYS;
            }
        }
    }

    long waitid(GuestThread t, int idtype, int id, long infop, int options) throws ErrnoException {
        int pid = switch (idtype) {
            case P_ALL -> -1;
            case P_PID -> id;
            case P_PGID -> id == 0 ? 0 : -id;
            default -> Integer.MIN_VALUE;
        };
        if (pid == Integer.MIN_VALUE || (options & WEXITED) == 0) {
            return -Errno.EINVAL;
        }
        GuestProcess p = t.process;
        while (true) {
            GuestProcess z;
            synchronized (k.tree) {
                z = zombie(p, pid);
                if (z != null && (options & WNOWAIT) == 0) {
                    p.children.remove(z);
                    k.reap(z);
                }
            }
            if (z != null) {
                if (infop != 0) {
                    t.process.as.writeBytes(infop, SigInfo.child(z.pid, k.uid, z.waitStatus).encode(), 0, 128);
                }
                return 0;
            }
            if ((options & WNOHANG) != 0) {
                if (infop != 0) {
                    t.process.as.writeBytes(infop, new byte[128], 0, 128);
                }
                return 0;
            }
            if (!t.await(k.tree, () -> waitable(p, pid), -1)) {
                return -Errno.ERESTARTSYS;
            }
        }
    }

    // ------------------------------------------------------------------ futex and robust lists

    long futex(GuestThread t, long uaddr, int op, int val, long a3, long uaddr2, int val3) throws ErrnoException {
        int cmd = op & ~(Futexes.FUTEX_PRIVATE_FLAG | Futexes.FUTEX_CLOCK_REALTIME);
        AddressSpace as = t.process.as;
        switch (cmd) {
            case Futexes.FUTEX_WAIT -> {
                return k.futexes.wait(t, as, uaddr, val, PollCalls.timeout(t, a3), Futexes.BITSET_ALL);
            }
            case Futexes.FUTEX_WAIT_BITSET -> {
                long timeout = -1;
                if (a3 != 0) {
                    long abs = PollCalls.timeout(t, a3);
                    long now = (op & Futexes.FUTEX_CLOCK_REALTIME) != 0 ? Clocks.realtimeNanos() : Clocks.monotonicNanos(k);
                    timeout = Math.max(0, abs - now);
                }
                return k.futexes.wait(t, as, uaddr, val, timeout, val3);
            }
            case Futexes.FUTEX_WAKE -> {
                return k.futexes.wake(as, uaddr, Math.max(val, 0), Futexes.BITSET_ALL);
            }
            case Futexes.FUTEX_WAKE_BITSET -> {
                return k.futexes.wake(as, uaddr, Math.max(val, 0), val3);
            }
            case Futexes.FUTEX_REQUEUE -> {
                return k.futexes.requeue(as, uaddr, val, uaddr2, (int) a3, false, 0);
            }
            case Futexes.FUTEX_CMP_REQUEUE -> {
                return k.futexes.requeue(as, uaddr, val, uaddr2, (int) a3, true, val3);
            }
            case Futexes.FUTEX_WAKE_OP -> {
                return k.futexes.wakeOp(as, uaddr, val, uaddr2, (int) a3, val3);
            }
            default -> {
                k.reportUnimplemented(SyscallNumbers.FUTEX);
                return -Errno.ENOSYS;
            }
        }
    }

    long getRobustList(GuestThread t, int tid, long headPtr, long lenPtr) {
        GuestThread target = tid == 0 ? t : k.thread(tid);
        if (target == null) {
            return -Errno.ESRCH;
        }
        t.process.as.writeLong(headPtr, target.robustList);
        t.process.as.writeLong(lenPtr, 24);
        return 0;
    }

    // ------------------------------------------------------------------ ids and groups

    long getppid(GuestThread t) {
        synchronized (k.tree) {
            GuestProcess parent = t.process.parent;
            return parent == null ? 1 : parent.pid;
        }
    }

    private GuestProcess target(GuestThread t, int pid) {
        return pid == 0 ? t.process : k.process(pid);
    }

    long getpgid(GuestThread t, int pid) {
        GuestProcess p = target(t, pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        synchronized (k.tree) {
            return p.pgid;
        }
    }

    /**
     * setpgid(2) with its POSIX checks: the target is the caller or one of its children (ESRCH),
     * a child that has not exec'd yet (EACCES), not a session leader and in the caller's session
     * (EPERM); the group joined is the target's own new group or an existing one of the caller's
     * session (EPERM otherwise).
     */
    long setpgid(GuestThread t, int pid, int pgid) {
        if (pgid < 0) {
            return -Errno.EINVAL;
        }
        GuestProcess p = target(t, pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        synchronized (k.tree) {
            GuestProcess self = t.process;
            if (p != self && p.parent != self) {
                return -Errno.ESRCH;
            }
            if (p != self && p.execed) {
                return -Errno.EACCES;
            }
            if (p.sid == p.pid || p.sid != self.sid) {
                return -Errno.EPERM;
            }
            int group = pgid == 0 ? p.pid : pgid;
            if (group != p.pid && !groupInSession(group, self.sid)) {
                return -Errno.EPERM;
            }
            p.pgid = group;
            return 0;
        }
    }

    /** Whether a live process of session {@code sid} leads or belongs to group {@code pgid} (caller holds tree). */
    boolean groupInSession(int pgid, int sid) {
        for (GuestProcess q : k.allProcesses()) {
            if (q.pgid == pgid && q.sid == sid && !q.zombie) {
                return true;
            }
        }
        return false;
    }

    long getsid(GuestThread t, int pid) {
        GuestProcess p = target(t, pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        synchronized (k.tree) {
            return p.sid;
        }
    }

    long setsid(GuestThread t) {
        GuestProcess p = t.process;
        synchronized (k.tree) {
            if (p.pgid == p.pid) {
                return -Errno.EPERM;
            }
            p.pgid = p.pid;
            p.sid = p.pid;
            return p.pid;
        }
    }
}
