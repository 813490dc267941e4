package hv.procvm.kernel;

import static hv.procvm.kernel.SyscallNumbers.*;

import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileSystemView;
import hv.procvm.mem.BadAddressException;
import hv.procvm.mem.OutOfGuestMemoryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The system-call layer: on an ECALL exit, a7 holds the Linux riscv64 call number and a0..a5
 * the arguments; the result (or -errno) goes to a0 and pc moves past the ecall. Calls that set the
 * registers themselves (execve, rt_sigreturn, exit) return {@link #NO_RETURN}; a blocking call
 * interrupted by a signal returns -ERESTARTSYS, which leaves pc on the ecall so the call is
 * re-executed after the handler (SA_RESTART) or turned into EINTR by the signal code.
 *
 * <p>Guest-controlled input never escapes as an exception: bad pointers are EFAULT, exhausted guest
 * RAM is ENOMEM, and anything unexpected is EINVAL plus a one-line report.
 */
final class Syscalls {
    static final long NO_RETURN = Long.MIN_VALUE;

    private final Kernel k;
    final FileCalls files;
    final DirectoryCalls dirs;
    final PollCalls poll;
    final MemoryCalls memory;
    final ProcessCalls process;
    final SignalCalls signals;
    final InfoCalls info;
    final EventCalls events;

    Syscalls(Kernel k) {
        this.k = k;
        GuestPaths paths = new GuestPaths(k);
        this.files = new FileCalls(k, paths);
        this.dirs = new DirectoryCalls(k, paths);
        this.poll = new PollCalls();
        this.memory = new MemoryCalls(k);
        this.process = new ProcessCalls(k);
        this.signals = new SignalCalls(k);
        this.info = new InfoCalls(k);
        this.events = new EventCalls(k);
    }

    void dispatch(GuestThread t) {
        long[] x = t.cpu.x();
        long nr = x[17];
        long a0 = x[10], a1 = x[11], a2 = x[12], a3 = x[13], a4 = x[14], a5 = x[15];
        if (nr >= 0 && nr < k.syscallCounts.length()) {
            k.syscallCounts.incrementAndGet((int) nr);
        }
        t.restartAllowed = true;
        long r;
        try {
            r = call(t, nr, a0, a1, a2, a3, a4, a5);
        } catch (BadAddressException e) {
            r = -Errno.EFAULT;
        } catch (OutOfGuestMemoryException e) {
            r = -Errno.ENOMEM;
        } catch (ErrnoException e) {
            r = -e.errno();
        } catch (RuntimeException e) {
            k.diag("internal error in " + SyscallNumbers.name(nr) + ": " + e);
            r = -Errno.EINVAL;
        }
        if (k.strace) {
            k.trace(t.tid + " " + SyscallNumbers.name(nr) + "(0x" + Long.toHexString(a0) + ", 0x" + Long.toHexString(a1)
                    + ", 0x" + Long.toHexString(a2) + ", 0x" + Long.toHexString(a3) + ") = "
                    + (r == NO_RETURN ? "-" : r < 0 && r > -4096 ? r + " (errno)" : "0x" + Long.toHexString(r)));
        }
        if (r == NO_RETURN) {
            return;
        }
        if (r == -Errno.ERESTARTSYS) {
            x[10] = a0;
            t.restartPending = true;
            return;
        }
        x[10] = r;
        t.cpu.setPc(t.cpu.pc() + 4);
    }

    private long call(GuestThread t, long nr, long a0, long a1, long a2, long a3, long a4, long a5) throws ErrnoException {
        int fd = (int) a0;
        return switch ((int) nr) {
            // --- files and directories
            case OPENAT -> files.openat(t, (int) a0, a1, (int) a2, (int) a3);
            case CLOSE -> t.process.fds.close(fd);
            case CLOSE_RANGE -> files.closeRange(t, (int) a0, (int) a1, (int) a2);
            case READ -> files.read(t, fd, a1, a2);
            case WRITE -> files.write(t, fd, a1, a2);
            case PREAD64 -> files.pread(t, fd, a1, a2, a3);
            case PWRITE64 -> files.pwrite(t, fd, a1, a2, a3);
            case READV -> files.readv(t, fd, a1, a2, -1);
            case WRITEV -> files.writev(t, fd, a1, a2, -1);
            case PREADV, PREADV2 -> files.readv(t, fd, a1, a2, a3 == -1 && nr == PREADV2 ? -1 : a3);
            case PWRITEV, PWRITEV2 -> files.writev(t, fd, a1, a2, a3 == -1 && nr == PWRITEV2 ? -1 : a3);
            case LSEEK -> files.lseek(t, fd, a1, (int) a2);
            case NEWFSTATAT -> files.fstatat(t, (int) a0, a1, a2, (int) a3);
            case FSTAT -> files.fstat(t, fd, a1);
            case STATX -> files.statx(t, (int) a0, a1, (int) a2, (int) a3, a4);
            case STATFS -> dirs.statfs(t, -1, a0, a1);
            case FSTATFS -> dirs.statfs(t, fd, 0, a1);
            case GETDENTS64 -> files.getdents64(t, fd, a1, a2);
            case READLINKAT -> dirs.readlinkat(t, (int) a0, a1, a2, a3);
            case MKDIRAT -> dirs.mkdirat(t, (int) a0, a1, (int) a2);
            case UNLINKAT -> dirs.unlinkat(t, (int) a0, a1, (int) a2);
            case RENAMEAT2 -> dirs.renameat2(t, (int) a0, a1, (int) a2, a3, (int) a4);
            case SYMLINKAT -> dirs.symlinkat(t, a0, (int) a1, a2);
            case LINKAT -> dirs.linkat(t, (int) a0, a1, (int) a2, a3, (int) a4);
            case FACCESSAT -> dirs.faccessat(t, (int) a0, a1, (int) a2, 0);
            case FACCESSAT2 -> dirs.faccessat(t, (int) a0, a1, (int) a2, (int) a3);
            case FCHMODAT -> dirs.fchmodat(t, (int) a0, a1, (int) a2, 0);
            case FCHMOD -> dirs.fchmod(t, fd, (int) a1);
            case FCHOWNAT -> dirs.fchownat(t, (int) a0, a1, (int) a2, (int) a3, (int) a4);
            case FCHOWN -> dirs.fchown(t, fd, (int) a1, (int) a2);
            case UTIMENSAT -> dirs.utimensat(t, (int) a0, a1, a2, (int) a3);
            case FCNTL -> files.fcntl(t, fd, (int) a1, a2);
            case DUP -> files.dup(t, fd);
            case DUP3 -> files.dup3(t, fd, (int) a1, (int) a2);
            case PIPE2 -> files.pipe2(t, a0, (int) a1);
            case IOCTL -> files.ioctl(t, fd, a1, a2);
            case GETCWD -> dirs.getcwd(t, a0, a1);
            case CHDIR -> dirs.chdir(t, a0);
            case FCHDIR -> dirs.fchdir(t, fd);
            case CHROOT -> -Errno.EPERM;
            case TRUNCATE -> files.truncate(t, a0, a1);
            case FTRUNCATE -> files.ftruncate(t, fd, a1);
            case FSYNC, FDATASYNC -> files.fsync(t, fd);
            case SYNC, SYNCFS -> 0;
            case FADVISE64, READAHEAD -> t.process.fds.isOpen(fd) ? 0 : -Errno.EBADF;
            case FLOCK -> t.process.fds.isOpen(fd) ? 0 : -Errno.EBADF;
            case FALLOCATE -> files.fallocate(t, fd, (int) a1, a2, a3);
            case SENDFILE -> files.sendfile(t, (int) a0, (int) a1, a2, a3);
            case COPY_FILE_RANGE -> files.copyFileRange(t, (int) a0, a1, (int) a2, a3, a4);
            case PPOLL -> poll.ppoll(t, a0, a1, a2, a3, a4);
            case PSELECT6 -> poll.pselect6(t, (int) a0, a1, a2, a3, a4, a5);
            // --- event descriptors
            case EVENTFD2 -> events.eventfd2(t, a0, (int) a1);
            case EPOLL_CREATE1 -> events.epollCreate1(t, (int) a0);
            case EPOLL_CTL -> events.epollCtl(t, (int) a0, (int) a1, (int) a2, a3);
            case EPOLL_PWAIT -> events.epollPwait(t, (int) a0, a1, (int) a2, EventCalls.millis((int) a3), a4, a5);
            case EPOLL_PWAIT2 -> events.epollPwait(t, (int) a0, a1, (int) a2, PollCalls.timeout(t, a3), a4, a5);
            case INOTIFY_INIT1, INOTIFY_ADD_WATCH, INOTIFY_RM_WATCH -> events.inotify(nr);
            case SHMGET, SEMGET, MSGGET -> events.sysv(nr, a0, nr == MSGGET ? a1 : a2); // the flags argument
            case SHMCTL, SHMAT, SHMDT, SEMCTL, SEMOP, SEMTIMEDOP, MSGCTL, MSGSND, MSGRCV -> events.sysv(nr, 0, 0);
            case MKNODAT -> -Errno.EPERM;
            case GETXATTR, LGETXATTR, FGETXATTR -> -Errno.ENODATA;
            case LISTXATTR, LLISTXATTR, FLISTXATTR -> 0;
            case SETXATTR, LSETXATTR, FSETXATTR, REMOVEXATTR, LREMOVEXATTR, FREMOVEXATTR -> -Errno.EOPNOTSUPP;
            case UMASK -> {
                int old = t.process.umask;
                t.process.umask = (int) a0 & 0777;
                yield old;
            }
            // --- memory
            case BRK -> t.process.as.brk(a0);
            case MMAP -> memory.mmap(t, a0, a1, (int) a2, (int) a3, (int) a4, a5);
            case MUNMAP -> memory.munmap(t, a0, a1);
            case MPROTECT -> memory.mprotect(t, a0, a1, (int) a2);
            case MREMAP -> memory.mremap(t, a0, a1, a2, (int) a3, a4);
            case MADVISE -> memory.madvise(t, a0, a1, (int) a2);
            case MSYNC, MLOCK, MUNLOCK, MLOCKALL, MUNLOCKALL, MLOCK2 -> 0;
            case MINCORE -> memory.mincore(t, a0, a1, a2);
            case RISCV_FLUSH_ICACHE -> {
                t.cpu.flushLocal();
                yield 0;
            }
            // --- process
            case EXIT -> process.exit(t, (int) a0);
            case EXIT_GROUP -> process.exitGroup(t, (int) a0);
            case CLONE -> process.clone(t, a0, a1, a2, a3, a4);
            case EXECVE -> process.execve(t, a0, a1, a2);
            case EXECVEAT -> process.execveat(t, (int) a0, a1, a2, a3, (int) a4);
            case WAIT4 -> process.wait4(t, (int) a0, a1, (int) a2, a3);
            case WAITID -> process.waitid(t, (int) a0, (int) a1, a2, (int) a3);
            case SET_TID_ADDRESS -> {
                t.clearChildTid = a0;
                yield t.tid;
            }
            case SET_ROBUST_LIST -> {
                t.robustList = a0;
                yield a1 == 24 ? 0 : -Errno.EINVAL;
            }
            case GET_ROBUST_LIST -> process.getRobustList(t, (int) a0, a1, a2);
            case FUTEX -> process.futex(t, a0, (int) a1, (int) a2, a3, a4, (int) a5);
            case GETPID -> t.process.pid;
            case GETTID -> t.tid;
            case GETPPID -> process.getppid(t);
            case GETUID, GETEUID -> k.uid;
            case GETGID, GETEGID -> k.gid;
            case GETRESUID -> info.getres(t, a0, a1, a2, k.uid);
            case GETRESGID -> info.getres(t, a0, a1, a2, k.gid);
            case SETUID, SETREUID, SETRESUID, SETFSUID -> a0 == k.uid || a0 == -1 ? 0 : -Errno.EPERM;
            case SETGID, SETREGID, SETRESGID, SETFSGID -> a0 == k.gid || a0 == -1 ? 0 : -Errno.EPERM;
            case GETGROUPS -> info.getgroups(t, (int) a0, a1);
            case SETGROUPS -> -Errno.EPERM;
            case GETPGID -> process.getpgid(t, (int) a0);
            case SETPGID -> process.setpgid(t, (int) a0, (int) a1);
            case GETSID -> process.getsid(t, (int) a0);
            case SETSID -> process.setsid(t);
            case PRLIMIT64 -> info.prlimit(t, (int) a0, (int) a1, a2, a3);
            case GETRLIMIT -> info.prlimit(t, 0, (int) a0, 0, a1);
            case SETRLIMIT -> info.prlimit(t, 0, (int) a0, a1, 0);
            case GETRUSAGE -> info.getrusage(t, (int) a0, a1);
            case TIMES -> info.times(t, a0);
            case SCHED_GETAFFINITY -> info.schedGetaffinity(t, (int) a0, a1, a2);
            case SCHED_SETAFFINITY, SCHED_SETPARAM, SCHED_SETSCHEDULER, SETPRIORITY -> 0;
            case SCHED_GETSCHEDULER, SCHED_GETPARAM -> 0;
            case GETPRIORITY -> 20;
            case SCHED_GET_PRIORITY_MAX, SCHED_GET_PRIORITY_MIN -> a0 == 0 || a0 == 3 || a0 == 5 ? 0 : a0 == 1 || a0 == 2
                    ? (nr == SCHED_GET_PRIORITY_MAX ? 99 : 1) : -Errno.EINVAL;
            // --- privileged operations: the process is an unprivileged user's
            case CAPSET, SETTIMEOFDAY, CLOCK_SETTIME, CLOCK_ADJTIME, ADJTIMEX, MOUNT, UMOUNT2, PIVOT_ROOT, SWAPON,
                    SWAPOFF, REBOOT, INIT_MODULE, FINIT_MODULE, DELETE_MODULE, KEXEC_LOAD, KEXEC_FILE_LOAD, ACCT,
                    SYSLOG, QUOTACTL, SETNS, UNSHARE, VHANGUP -> -Errno.EPERM;
            case SCHED_YIELD -> {
                Thread.yield();
                yield 0;
            }
            case GETCPU -> info.getcpu(t, a0, a1);
            case PRCTL -> info.prctl(t, (int) a0, a1);
            case PERSONALITY -> 0;
            case CAPGET -> info.capget(t, a0, a1);
            case UNAME -> info.uname(t, a0);
            case SYSINFO -> info.sysinfo(t, a0);
            case GETRANDOM -> info.getrandom(t, a0, a1);
            case SETHOSTNAME, SETDOMAINNAME -> -Errno.EPERM;
            // --- time
            case CLOCK_GETTIME -> info.clockGettime(t, (int) a0, a1);
            case CLOCK_GETRES -> info.clockGetres(t, (int) a0, a1);
            case GETTIMEOFDAY -> info.gettimeofday(t, a0, a1);
            case NANOSLEEP -> info.nanosleep(t, a0, a1);
            case CLOCK_NANOSLEEP -> info.clockNanosleep(t, (int) a0, (int) a1, a2, a3);
            case SETITIMER, GETITIMER -> info.itimer(t, (int) a0, a1, a2, nr == GETITIMER);
            // --- signals
            case RT_SIGACTION -> signals.rtSigaction(t, (int) a0, a1, a2, a3);
            case RT_SIGPROCMASK -> signals.rtSigprocmask(t, (int) a0, a1, a2, a3);
            case RT_SIGRETURN -> signals.rtSigreturn(t);
            case RT_SIGPENDING -> signals.rtSigpending(t, a0, a1);
            case RT_SIGSUSPEND -> signals.rtSigsuspend(t, a0, a1);
            case RT_SIGTIMEDWAIT -> signals.rtSigtimedwait(t, a0, a1, a2, a3);
            case SIGALTSTACK -> signals.sigaltstack(t, a0, a1);
            case KILL -> signals.kill(t, (int) a0, (int) a1);
            case TKILL -> signals.tgkill(t, -1, (int) a0, (int) a1);
            case TGKILL -> signals.tgkill(t, (int) a0, (int) a1, (int) a2);
            // --- deliberately unsupported: the C library falls back without complaint
            case CLONE3, RSEQ, RISCV_HWPROBE, IO_URING_SETUP, MEMBARRIER -> -Errno.ENOSYS;
            case SOCKET, SOCKETPAIR -> -Errno.EAFNOSUPPORT;
            default -> {
                k.reportUnimplemented(nr);
                yield -Errno.ENOSYS;
            }
        };
    }

    // ------------------------------------------------------------------ argument helpers

    /** A NUL-terminated path argument (ENAMETOOLONG past PATH_MAX, EFAULT on a bad pointer). */
    static String path(GuestThread t, long ptr) throws ErrnoException {
        if (ptr == 0) {
            throw new ErrnoException(Errno.EFAULT);
        }
        byte[] b = t.process.as.readCString(ptr, FileSystemView.PATH_MAX);
        if (b == null) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A NULL-terminated array of string pointers (argv, envp), as raw bytes. */
    static List<byte[]> stringArray(GuestThread t, long ptr) throws ErrnoException {
        List<byte[]> out = new ArrayList<>();
        if (ptr == 0) {
            return out;
        }
        long total = 0;
        for (int i = 0;; i++) {
            long s = t.process.as.readLong(ptr + 8L * i);
            if (s == 0) {
                return out;
            }
            byte[] b = t.process.as.readCString(s, 128 * 1024);
            if (b == null) {
                throw new ErrnoException(Errno.E2BIG);
            }
            total += b.length + 1 + 8;
            if (total > 2 * 1024 * 1024 || i > 65536) {
                throw new ErrnoException(Errno.E2BIG);
            }
            out.add(b);
        }
    }
}
