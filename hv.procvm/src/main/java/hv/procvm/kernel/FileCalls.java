package hv.procvm.kernel;

import hv.procvm.fs.DeviceFile;
import hv.procvm.fs.DirectoryFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileStat;
import hv.procvm.fs.GeneratedFile;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.HostStat;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.PathOnlyFile;
import hv.procvm.fs.Pipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** Opening, reading and writing files, stat, descriptors (fcntl, dup, pipes, ioctl), sizes and copies, on java.nio. */
final class FileCalls {
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

    static final int FD_CLOEXEC = 1;

    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540f,
            TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, FIONBIO = 0x5421,
            FIONCLEX = 0x5450, FIOCLEX = 0x5451, TIOCSCTTY = 0x540e, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;

    /** Largest single transfer of one read/write call (Linux caps at MAX_RW_COUNT, about 2 GiB). */
    static final int MAX_IO = 1 << 20;

    private final Kernel k;
    private final GuestPaths paths;

    FileCalls(Kernel k, GuestPaths paths) {
        this.k = k;
        this.paths = paths;
    }

    long openat(GuestThread t, int dirfd, long pathPtr, int flags, int mode) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        boolean cloexec = (flags & OpenFile.O_CLOEXEC) != 0;
        int status = flags & (OpenFile.O_ACCMODE | OpenFile.O_APPEND | OpenFile.O_NONBLOCK | OpenFile.O_PATH);
        GuestPaths.Special sp = paths.special(t, dirfd, path);
        if (sp != null) {
            switch (sp) {
                case GuestPaths.FdAlias a -> {
                    OpenFile f = paths.file(t, a.fd());
                    return t.process.fds.install(f, 0, cloexec);
                }
                case GuestPaths.Device d -> {
                    return t.process.fds.install(new DeviceFile(d.kind(), path, status, k.uid, k.gid), 0, cloexec);
                }
                case GuestPaths.Generated g -> {
                    if ((flags & OpenFile.O_ACCMODE) != OpenFile.O_RDONLY) {
                        return -Errno.EACCES;
                    }
                    return t.process.fds.install(new GeneratedFile(g.content(), path, k.uid, k.gid), 0, cloexec);
                }
                case GuestPaths.Exe e -> {
                    return openHost(t, e.host(), e.guestPath(), null, flags, mode, status, cloexec);
                }
                case GuestPaths.Tty y -> {
                    return openTty(t, flags, status, cloexec);
                }
            }
        }
        if ((flags & OpenFile.O_TMPFILE) == OpenFile.O_TMPFILE) {
            return -Errno.EOPNOTSUPP;
        }
        boolean follow = (flags & OpenFile.O_NOFOLLOW) == 0;
        FileSystemView.Resolved r = paths.resolve(t, dirfd, path, follow);
        return openHost(t, r.host(), r.guestPath(), r, flags, mode, status, cloexec);
    }

    /**
     * /dev/tty (tty(4)): the host's controlling terminal when HV's standard streams are a
     * terminal (a shell with job control opens it to call tcgetpgrp/tcsetpgrp); ENXIO when there
     * is none, as Linux answers a process without a controlling terminal, or after setsid.
     */
    private long openTty(GuestThread t, int flags, int status, boolean cloexec) {
        if (!k.hasTerminal() || t.process.sid != Kernel.INVOKING_SESSION) {
            return -Errno.ENXIO;
        }
        int acc = flags & OpenFile.O_ACCMODE;
        Set<OpenOption> opts = new HashSet<>();
        if (acc == OpenFile.O_RDONLY || acc == OpenFile.O_RDWR) {
            opts.add(StandardOpenOption.READ);
        }
        if (acc == OpenFile.O_WRONLY || acc == OpenFile.O_RDWR) {
            opts.add(StandardOpenOption.WRITE);
        }
        try {
            Path tty = Path.of("/dev/tty");
            FileChannel ch = FileChannel.open(tty, opts);
            return t.process.fds.install(new HostFile(ch, tty, "/dev/tty", status, false, true), 0, cloexec);
        } catch (IOException | RuntimeException e) {
            return -Errno.ENXIO;
        }
    }

    private long openHost(GuestThread t, Path h, String guestPath, FileSystemView.Resolved r, int flags, int mode, int status,
            boolean cloexec) throws ErrnoException {
        int acc = flags & OpenFile.O_ACCMODE;
        boolean exists = Files.exists(h, LinkOption.NOFOLLOW_LINKS);
        if (exists && (flags & OpenFile.O_NOFOLLOW) != 0 && Files.isSymbolicLink(h) && (flags & OpenFile.O_PATH) == 0) {
            return -Errno.ELOOP;
        }
        if (exists && (flags & OpenFile.O_CREAT) != 0 && (flags & OpenFile.O_EXCL) != 0) {
            return -Errno.EEXIST;
        }
        boolean isDir = exists && Files.isDirectory(h);
        if ((flags & OpenFile.O_DIRECTORY) != 0) {
            if (!exists) {
                return -Errno.ENOENT;
            }
            if (!isDir) {
                return -Errno.ENOTDIR;
            }
        }
        if (isDir) {
            if (acc != OpenFile.O_RDONLY || (flags & OpenFile.O_TRUNC) != 0 || (flags & OpenFile.O_CREAT) != 0) {
                return -Errno.EISDIR;
            }
            if (!Files.isReadable(h) && (flags & OpenFile.O_PATH) == 0) {
                return -Errno.EACCES;
            }
            Path parent = r == null ? h.getParent() : k.fs.parentOf(r);
            return t.process.fds.install(new DirectoryFile(h, parent == null ? h : parent, guestPath, status), 0, cloexec);
        }
        if ((flags & OpenFile.O_PATH) != 0) {
            if (!exists) {
                return -Errno.ENOENT;
            }
            return t.process.fds.install(new PathOnlyFile(h, guestPath, status), 0, cloexec);
        }
        Set<OpenOption> opts = new HashSet<>();
        if (acc == OpenFile.O_RDONLY || acc == OpenFile.O_RDWR) {
            opts.add(StandardOpenOption.READ);
        }
        if (acc == OpenFile.O_WRONLY || acc == OpenFile.O_RDWR) {
            opts.add(StandardOpenOption.WRITE);
            if ((flags & OpenFile.O_TRUNC) != 0) {
                opts.add(StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
        if (acc == 3) {
            return -Errno.EINVAL;
        }
        if ((flags & OpenFile.O_NOFOLLOW) != 0) {
            opts.add(LinkOption.NOFOLLOW_LINKS);
        }
        FileAttribute<?>[] attrs = {};
        if ((flags & OpenFile.O_CREAT) != 0 && !exists) {
            if (!opts.contains(StandardOpenOption.WRITE)) {
                // O_RDONLY|O_CREAT creates the file too; java.nio wants WRITE for that.
                opts.add(StandardOpenOption.WRITE); // the description itself stays read-only
            }
            opts.add((flags & OpenFile.O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
            attrs = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms(mode & ~t.process.umask))};
        }
        try {
            FileChannel ch = FileChannel.open(h, opts, attrs);
            boolean regular;
            try {
                regular = HostStat.of(h, true).isRegular();
            } catch (IOException e) {
                regular = true;
            }
            return t.process.fds.install(new HostFile(ch, h, guestPath, status, regular), 0, cloexec);
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    long closeRange(GuestThread t, int first, int last, int flags) {
        if (first < 0 || (last >= 0 && last < first)) {
            return -Errno.EINVAL;
        }
        t.process.fds.closeRange(first, last < 0 ? Integer.MAX_VALUE : last, (flags & 4) != 0);
        return 0;
    }

    /**
     * How much one read may move: up to {@link #MAX_IO}; from pipes and terminals at most a
     * pipe's capacity, which is about all such a read returns at once anyway (a short read is
     * theirs to give), so that `cat` asking for 16 MiB costs a 64 KiB buffer, not a 1 MiB one.
     */
    static int transferSize(OpenFile f, long count) {
        return (int) Math.min(count, f.shortReads() ? Pipe.CAPACITY : MAX_IO);
    }

    long read(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            if (count < 0) {
                return -Errno.EINVAL;
            }
            int n = transferSize(f, count);
            byte[] tmp = t.scratch(n);
            long r = f.read(ByteBuffer.wrap(tmp, 0, n), t, true);
            if (r > 0) {
                t.process.as.writeBytes(buf, tmp, 0, (int) r);
            }
            return r;
        } finally {
            f.release();
        }
    }

    long write(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            if (count < 0) {
                return -Errno.EINVAL;
            }
            int n = (int) Math.min(count, MAX_IO);
            byte[] tmp = t.scratch(n);
            t.process.as.readBytes(buf, tmp, 0, n);
            return f.write(ByteBuffer.wrap(tmp, 0, n), t);
        } finally {
            f.release();
        }
    }

    long pread(GuestThread t, int fd, long buf, long count, long off) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            if (count < 0 || off < 0) {
                return -Errno.EINVAL;
            }
            int n = (int) Math.min(count, MAX_IO);
            byte[] tmp = t.scratch(n);
            long r = f.pread(ByteBuffer.wrap(tmp, 0, n), off);
            if (r > 0) {
                t.process.as.writeBytes(buf, tmp, 0, (int) r);
            }
            return r;
        } finally {
            f.release();
        }
    }

    long pwrite(GuestThread t, int fd, long buf, long count, long off) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            if (count < 0 || off < 0) {
                return -Errno.EINVAL;
            }
            int n = (int) Math.min(count, MAX_IO);
            byte[] tmp = t.scratch(n);
            t.process.as.readBytes(buf, tmp, 0, n);
            return f.pwrite(ByteBuffer.wrap(tmp, 0, n), off);
        } finally {
            f.release();
        }
    }

    /** The iovec array of readv/writev: pairs (base, len). */
    private long[][] iovecs(GuestThread t, long iov, long count) throws ErrnoException {
        if (count < 0 || count > 1024) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long[][] v = new long[(int) count][];
        long total = 0;
        for (int i = 0; i < count; i++) {
            long base = t.process.as.readLong(iov + 16L * i);
            long len = t.process.as.readLong(iov + 16L * i + 8);
            if (len < 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            total += len;
            v[i] = new long[] {base, len};
        }
        if (total > Integer.MAX_VALUE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return v;
    }

    long readv(GuestThread t, int fd, long iov, long count, long off) throws ErrnoException {
        long[][] v = iovecs(t, iov, count);
        long total = 0;
        for (long[] e : v) {
            total += e[1];
        }
        OpenFile f = paths.file(t, fd);
        try {
            int size = off < 0 ? transferSize(f, total) : (int) Math.min(total, MAX_IO);
            byte[] tmp = t.scratch(size);
            long r = off < 0 ? f.read(ByteBuffer.wrap(tmp, 0, size), t, true) : f.pread(ByteBuffer.wrap(tmp, 0, size), off);
            if (r <= 0) {
                return r;
            }
            int done = 0;
            for (long[] e : v) {
                if (done >= r) {
                    break;
                }
                int n = (int) Math.min(e[1], r - done);
                t.process.as.writeBytes(e[0], tmp, done, n);
                done += n;
            }
            return r;
        } finally {
            f.release();
        }
    }

    long writev(GuestThread t, int fd, long iov, long count, long off) throws ErrnoException {
        long[][] v = iovecs(t, iov, count);
        long total = 0;
        for (long[] e : v) {
            total += e[1];
        }
        int size = (int) Math.min(total, MAX_IO);
        byte[] tmp = t.scratch(size);
        int done = 0;
        for (long[] e : v) {
            int n = (int) Math.min(e[1], size - done);
            if (n <= 0) {
                break;
            }
            t.process.as.readBytes(e[0], tmp, done, n);
            done += n;
        }
        OpenFile f = paths.file(t, fd);
        try {
            return off < 0 ? f.write(ByteBuffer.wrap(tmp, 0, size), t) : f.pwrite(ByteBuffer.wrap(tmp, 0, size), off);
        } finally {
            f.release();
        }
    }

    long lseek(GuestThread t, int fd, long off, int whence) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            return f.seek(off, whence);
        } finally {
            f.release();
        }
    }

    long fstatat(GuestThread t, int dirfd, long pathPtr, long buf, int flags) throws ErrnoException {
        FileStat st = paths.statPath(t, dirfd, Syscalls.path(t, pathPtr), flags);
        t.process.as.writeBytes(buf, st.toStat(), 0, 128);
        return 0;
    }

    long fstat(GuestThread t, int fd, long buf) throws ErrnoException {
        FileStat st = paths.statFd(t, fd);
        t.process.as.writeBytes(buf, st.toStat(), 0, 128);
        return 0;
    }

    long statx(GuestThread t, int dirfd, long pathPtr, int flags, int mask, long buf) throws ErrnoException {
        String path = pathPtr == 0 && (flags & GuestPaths.AT_EMPTY_PATH) != 0 ? "" : Syscalls.path(t, pathPtr);
        FileStat st = paths.statPath(t, dirfd, path, flags);
        t.process.as.writeBytes(buf, st.toStatx(), 0, 256);
        return 0;
    }

    long getdents64(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            if (!(f instanceof DirectoryFile d)) {
                return -Errno.ENOTDIR;
            }
            ByteBuffer out = ByteBuffer.allocate((int) Math.min(Math.max(count, 0), MAX_IO));
            long n = d.getdents(out);
            if (n > 0) {
                t.process.as.writeBytes(buf, out.array(), 0, (int) n);
            }
            return n;
        } finally {
            f.release();
        }
    }

    long fcntl(GuestThread t, int fd, int cmd, long arg) throws ErrnoException {
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                OpenFile f = paths.file(t, fd);
                if (arg < 0 || arg >= 1024) {
                    f.release();
                    return -Errno.EINVAL;
                }
                return t.process.fds.install(f, (int) arg, cmd == F_DUPFD_CLOEXEC);
            }
            case F_GETFD -> {
                return t.process.fds.getCloexec(fd);
            }
            case F_SETFD -> {
                return t.process.fds.setCloexec(fd, (arg & FD_CLOEXEC) != 0);
            }
            case F_GETFL -> {
                OpenFile f = paths.file(t, fd);
                try {
                    return f.statusFlags();
                } finally {
                    f.release();
                }
            }
            case F_SETFL -> {
                OpenFile f = paths.file(t, fd);
                try {
                    f.setStatusFlags((int) arg);
                    return 0;
                } finally {
                    f.release();
                }
            }
            case F_GETLK -> {
                OpenFile f = paths.file(t, fd);
                f.release();
                t.process.as.writeBytes(arg, new byte[] {2, 0}, 0, 2); // l_type = F_UNLCK: no conflicting lock
                return 0;
            }
            case F_SETLK, F_SETLKW, F_SETOWN, F_GETOWN -> {
                OpenFile f = paths.file(t, fd);
                f.release();
                return 0;
            }
            case F_SETPIPE_SZ, F_GETPIPE_SZ -> {
                OpenFile f = paths.file(t, fd);
                f.release();
                return Pipe.CAPACITY;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    long dup(GuestThread t, int fd) throws ErrnoException {
        return t.process.fds.install(paths.file(t, fd), 0, false);
    }

    long dup3(GuestThread t, int oldfd, int newfd, int flags) throws ErrnoException {
        if (oldfd == newfd) {
            return -Errno.EINVAL;
        }
        if ((flags & ~OpenFile.O_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        return t.process.fds.installAt(newfd, paths.file(t, oldfd), (flags & OpenFile.O_CLOEXEC) != 0);
    }

    long pipe2(GuestThread t, long fdsPtr, int flags) throws ErrnoException {
        if ((flags & ~(OpenFile.O_CLOEXEC | OpenFile.O_NONBLOCK | 0x4000 /* O_DIRECT */)) != 0) {
            return -Errno.EINVAL;
        }
        boolean cloexec = (flags & OpenFile.O_CLOEXEC) != 0;
        Pipe p = new Pipe(flags, k.uid, k.gid);
        int r = t.process.fds.install(p.readEnd(), 0, cloexec);
        if (r < 0) {
            p.writeEnd().release();
            return r;
        }
        int w = t.process.fds.install(p.writeEnd(), 0, cloexec);
        if (w < 0) {
            t.process.fds.close(r);
            return w;
        }
        try {
            t.process.as.writeInt(fdsPtr, r);
            t.process.as.writeInt(fdsPtr + 4, w);
        } catch (RuntimeException e) {
            t.process.fds.close(r);
            t.process.fds.close(w);
            throw e;
        }
        return 0;
    }

    /**
     * The terminal's job-control ioctls (tty_ioctl(4)): HV's terminal is the controlling terminal
     * of the session HV was started in; a process that left it (setsid) gets ENOTTY. TIOCSPGRP
     * makes a process group of that session the foreground one (EPERM for a group that does not
     * exist there). Background groups are not stopped on terminal access (no SIGTTIN/SIGTTOU).
     */
    private long jobControl(GuestThread t, int req, long arg) {
        synchronized (k.tree) {
            GuestProcess p = t.process;
            if (p.sid != Kernel.INVOKING_SESSION) {
                return req == TIOCSCTTY ? -Errno.EPERM : -Errno.ENOTTY;
            }
            switch (req) {
                case TIOCGPGRP -> {
                    t.process.as.writeInt(arg, k.foregroundPgrp);
                    return 0;
                }
                case TIOCGSID -> {
                    t.process.as.writeInt(arg, p.sid);
                    return 0;
                }
                case TIOCSPGRP -> {
                    int pgrp = t.process.as.readInt(arg);
                    if (pgrp < 0) {
                        return -Errno.EINVAL;
                    }
                    if (!k.syscalls.process.groupInSession(pgrp, p.sid)) {
                        return -Errno.EPERM;
                    }
                    k.foregroundPgrp = pgrp;
                    return 0;
                }
                default -> {
                    return 0; // TIOCSCTTY: already ours; TIOCNOTTY: accepted (nothing to detach on the host)
                }
            }
        }
    }

    long ioctl(GuestThread t, int fd, long req, long arg) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            int r = (int) req;
            switch (r) {
                case FIONBIO -> {
                    int on = t.process.as.readInt(arg);
                    f.setStatusFlags(on != 0 ? f.statusFlags() | OpenFile.O_NONBLOCK : f.statusFlags() & ~OpenFile.O_NONBLOCK);
                    return 0;
                }
                case FIOCLEX, FIONCLEX -> {
                    return t.process.fds.setCloexec(fd, r == FIOCLEX);
                }
                case FIONREAD -> {
                    t.process.as.writeInt(arg, (f.poll() & OpenFile.POLLIN) != 0 && !f.isTerminal() ? 1 : 0);
                    return 0;
                }
                default -> {
                }
            }
            if (!f.isTerminal()) {
                return -Errno.ENOTTY;
            }
            switch (r) {
                case TCGETS -> {
                    t.process.as.writeBytes(arg, Termios.defaults(), 0, Termios.SIZE);
                    return 0;
                }
                case TCSETS, TCSETSW, TCSETSF, TIOCSWINSZ -> {
                    return 0;
                }
                case TIOCSPGRP, TIOCGPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY -> {
                    return jobControl(t, r, arg);
                }
                case TIOCGWINSZ -> {
                    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    b.putShort((short) envInt("LINES", 24)).putShort((short) envInt("COLUMNS", 80));
                    t.process.as.writeBytes(arg, b.array(), 0, 8);
                    return 0;
                }
                default -> {
                    return -Errno.ENOTTY;
                }
            }
        } finally {
            f.release();
        }
    }

    private static int envInt(String name, int dflt) {
        try {
            String v = System.getenv(name);
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    long truncate(GuestThread t, long pathPtr, long len) throws ErrnoException {
        if (len < 0) {
            return -Errno.EINVAL;
        }
        FileSystemView.Resolved r = paths.resolve(t, GuestPaths.AT_FDCWD, Syscalls.path(t, pathPtr), true);
        if (Files.isDirectory(r.host())) {
            return -Errno.EISDIR;
        }
        try (FileChannel ch = FileChannel.open(r.host(), StandardOpenOption.WRITE)) {
            HostFile hf = new HostFile(ch, r.host(), r.guestPath(), OpenFile.O_WRONLY, true);
            return hf.truncate(len);
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long ftruncate(GuestThread t, int fd, long len) throws ErrnoException {
        if (len < 0) {
            return -Errno.EINVAL;
        }
        OpenFile f = paths.file(t, fd);
        try {
            return f.truncate(len);
        } finally {
            f.release();
        }
    }

    long fsync(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = paths.file(t, fd);
        try {
            return f.sync();
        } finally {
            f.release();
        }
    }

    long fallocate(GuestThread t, int fd, int mode, long off, long len) throws ErrnoException {
        if (mode != 0) {
            return -Errno.EOPNOTSUPP;
        }
        if (off < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        OpenFile f = paths.file(t, fd);
        try {
            if (!(f instanceof HostFile hf) || !hf.isRegular()) {
                return -Errno.ENODEV;
            }
            long size = hf.channel().size();
            return off + len > size ? hf.truncate(off + len) : 0;
        } catch (IOException e) {
            return -Errno.of(e);
        } finally {
            f.release();
        }
    }

    /** sendfile and copy_file_range: a copy loop through the kernel (at most one MiB per call). */
    long sendfile(GuestThread t, int outFd, int inFd, long offPtr, long count) throws ErrnoException {
        return copy(t, inFd, offPtr, outFd, 0, count);
    }

    long copyFileRange(GuestThread t, int inFd, long inOffPtr, int outFd, long outOffPtr, long len) throws ErrnoException {
        return copy(t, inFd, inOffPtr, outFd, outOffPtr, len);
    }

    private long copy(GuestThread t, int inFd, long inOffPtr, int outFd, long outOffPtr, long count) throws ErrnoException {
        OpenFile in = paths.file(t, inFd);
        try {
            OpenFile out = paths.file(t, outFd);
            try {
                long inOff = inOffPtr != 0 ? t.process.as.readLong(inOffPtr) : -1;
                int n = inOff >= 0 ? (int) Math.min(Math.max(count, 0), MAX_IO) : transferSize(in, Math.max(count, 0));
                byte[] tmp = t.scratch(n);
                long r = inOff >= 0 ? in.pread(ByteBuffer.wrap(tmp, 0, n), inOff) : in.read(ByteBuffer.wrap(tmp, 0, n), t, true);
                if (r <= 0) {
                    return r;
                }
                long outOff = outOffPtr != 0 ? t.process.as.readLong(outOffPtr) : -1;
                long w = outOff >= 0 ? out.pwrite(ByteBuffer.wrap(tmp, 0, (int) r), outOff) : out.write(ByteBuffer.wrap(tmp, 0, (int) r), t);
                if (w < 0) {
                    return w;
                }
                if (inOff >= 0) {
                    t.process.as.writeLong(inOffPtr, inOff + w);
                } else if (w < r) {
                    in.seek(w - r, OpenFile.SEEK_CUR);
                }
                if (outOff >= 0) {
                    t.process.as.writeLong(outOffPtr, outOff + w);
                }
                return w;
            } finally {
                out.release();
            }
        } finally {
            in.release();
        }
    }
}
