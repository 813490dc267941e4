package hv.procvm.kernel;

import hv.procvm.fs.DeviceFile;
import hv.procvm.fs.DirectoryFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileStat;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.HostStat;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.PathOnlyFile;
import hv.procvm.fs.Pipe;
import hv.procvm.mem.AddressSpace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/** File and directory system calls, on java.nio against the host (through the {@link FileSystemView}). */
final class FileCalls {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
    static final int FD_CLOEXEC = 1;
    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540f,
            TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541b, FIONBIO = 0x5421,
            FIONCLEX = 0x5450, FIOCLEX = 0x5451;
    static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    /** Largest single transfer of one read/write call (Linux caps at MAX_RW_COUNT, about 2 GiB). */
    static final int MAX_IO = 1 << 20;

    private final Kernel k;

    FileCalls(Kernel k) {
        this.k = k;
    }

    // ------------------------------------------------------------------ path resolution

    private OpenFile file(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process.fds.acquire(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    /** The guest directory a *at() call is relative to. */
    private String baseDir(GuestThread t, int dirfd, String path) throws ErrnoException {
        if (path.startsWith("/") || dirfd == AT_FDCWD) {
            return t.process.cwd;
        }
        OpenFile f = file(t, dirfd);
        try {
            if (!(f instanceof DirectoryFile) && !(f instanceof PathOnlyFile)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            return f.guestPath();
        } finally {
            f.release();
        }
    }

    private FileSystemView.Resolved resolve(GuestThread t, int dirfd, String path, boolean follow) throws ErrnoException {
        return k.fs.resolve(baseDir(t, dirfd, path), path, follow);
    }

    /** HV's own files: /proc/self/exe, /proc/self/fd/N, /dev/std*, and under a sysroot the /dev devices. */
    private sealed interface Special permits Exe, FdAlias, Device {
    }

    private record Exe(Path host, String guestPath) implements Special {
    }

    private record FdAlias(int fd) implements Special {
    }

    private record Device(DeviceFile.Kind kind) implements Special {
    }

    private Special special(GuestThread t, int dirfd, String path) throws ErrnoException {
        if (!path.startsWith("/dev/") && !path.startsWith("/proc/") && !(dirfd == AT_FDCWD && !path.startsWith("/")
                && (t.process.cwd.startsWith("/dev") || t.process.cwd.startsWith("/proc")))) {
            return null;
        }
        String abs = FileSystemView.normalize(FileSystemView.absolute(baseDir(t, dirfd, path), path));
        GuestProcess p = t.process;
        String self = "/proc/" + p.pid;
        if (abs.startsWith(self + "/")) {
            abs = "/proc/self" + abs.substring(self.length());
        }
        switch (abs) {
            case "/proc/self/exe" -> {
                return p.exeHostPath == null ? null : new Exe(p.exeHostPath, p.exeGuestPath);
            }
            case "/dev/stdin" -> {
                return new FdAlias(0);
            }
            case "/dev/stdout" -> {
                return new FdAlias(1);
            }
            case "/dev/stderr" -> {
                return new FdAlias(2);
            }
            default -> {
            }
        }
        for (String prefix : new String[] {"/proc/self/fd/", "/dev/fd/"}) {
            if (abs.startsWith(prefix)) {
                try {
                    return new FdAlias(Integer.parseInt(abs.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    throw new ErrnoException(Errno.ENOENT);
                }
            }
        }
        if (k.fs.jailed()) {
            return switch (abs) {
                case "/dev/null" -> new Device(DeviceFile.Kind.NULL);
                case "/dev/zero" -> new Device(DeviceFile.Kind.ZERO);
                case "/dev/full" -> new Device(DeviceFile.Kind.FULL);
                case "/dev/random" -> new Device(DeviceFile.Kind.RANDOM);
                case "/dev/urandom" -> new Device(DeviceFile.Kind.URANDOM);
                default -> null;
            };
        }
        return null;
    }

    // ------------------------------------------------------------------ open/close

    long openat(GuestThread t, int dirfd, long pathPtr, int flags, int mode) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        boolean cloexec = (flags & OpenFile.O_CLOEXEC) != 0;
        int status = flags & (OpenFile.O_ACCMODE | OpenFile.O_APPEND | OpenFile.O_NONBLOCK | OpenFile.O_PATH);
        Special sp = special(t, dirfd, path);
        if (sp != null) {
            switch (sp) {
                case FdAlias a -> {
                    OpenFile f = file(t, a.fd());
                    return t.process.fds.install(f, 0, cloexec);
                }
                case Device d -> {
                    return t.process.fds.install(new DeviceFile(d.kind(), path, status, k.uid, k.gid), 0, cloexec);
                }
                case Exe e -> {
                    return openHost(t, e.host(), e.guestPath(), null, flags, mode, status, cloexec);
                }
            }
        }
        if ((flags & OpenFile.O_TMPFILE) == OpenFile.O_TMPFILE) {
            return -Errno.EOPNOTSUPP;
        }
        boolean follow = (flags & OpenFile.O_NOFOLLOW) == 0;
        FileSystemView.Resolved r = resolve(t, dirfd, path, follow);
        return openHost(t, r.host(), r.guestPath(), r, flags, mode, status, cloexec);
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

    // ------------------------------------------------------------------ read/write

    long read(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (count < 0) {
                return -Errno.EINVAL;
            }
            int n = (int) Math.min(count, MAX_IO);
            byte[] tmp = new byte[n];
            long r = f.read(ByteBuffer.wrap(tmp), t, true);
            if (r > 0) {
                t.process.as.writeBytes(buf, tmp, 0, (int) r);
            }
            return r;
        } finally {
            f.release();
        }
    }

    long write(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (count < 0) {
                return -Errno.EINVAL;
            }
            int n = (int) Math.min(count, MAX_IO);
            byte[] tmp = t.process.as.readBytes(buf, n);
            return f.write(ByteBuffer.wrap(tmp), t);
        } finally {
            f.release();
        }
    }

    long pread(GuestThread t, int fd, long buf, long count, long off) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (count < 0 || off < 0) {
                return -Errno.EINVAL;
            }
            byte[] tmp = new byte[(int) Math.min(count, MAX_IO)];
            long r = f.pread(ByteBuffer.wrap(tmp), off);
            if (r > 0) {
                t.process.as.writeBytes(buf, tmp, 0, (int) r);
            }
            return r;
        } finally {
            f.release();
        }
    }

    long pwrite(GuestThread t, int fd, long buf, long count, long off) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (count < 0 || off < 0) {
                return -Errno.EINVAL;
            }
            byte[] tmp = t.process.as.readBytes(buf, (int) Math.min(count, MAX_IO));
            return f.pwrite(ByteBuffer.wrap(tmp), off);
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
        OpenFile f = file(t, fd);
        try {
            byte[] tmp = new byte[(int) Math.min(total, MAX_IO)];
            long r = off < 0 ? f.read(ByteBuffer.wrap(tmp), t, true) : f.pread(ByteBuffer.wrap(tmp), off);
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
        byte[] tmp = new byte[(int) Math.min(total, MAX_IO)];
        int done = 0;
        for (long[] e : v) {
            int n = (int) Math.min(e[1], tmp.length - done);
            if (n <= 0) {
                break;
            }
            t.process.as.readBytes(e[0], tmp, done, n);
            done += n;
        }
        OpenFile f = file(t, fd);
        try {
            return off < 0 ? f.write(ByteBuffer.wrap(tmp), t) : f.pwrite(ByteBuffer.wrap(tmp), off);
        } finally {
            f.release();
        }
    }

    long lseek(GuestThread t, int fd, long off, int whence) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            return f.seek(off, whence);
        } finally {
            f.release();
        }
    }

    // ------------------------------------------------------------------ stat

    private FileStat statPath(GuestThread t, int dirfd, String path, int flags) throws ErrnoException {
        if (path.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (dirfd == AT_FDCWD) {
                return statHost(k.fs.resolve("/", t.process.cwd, true).host(), true);
            }
            return statFd(t, dirfd);
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        Special sp = special(t, dirfd, path);
        if (sp != null) {
            return switch (sp) {
                case FdAlias a -> statFd(t, a.fd());
                case Device d -> DeviceFile.statOf(d.kind());
                case Exe e -> follow ? statHost(e.host(), true) : FileStat.synthetic(FileStat.S_IFLNK | 0777, 0, 2, k.uid, k.gid);
            };
        }
        FileSystemView.Resolved r = resolve(t, dirfd, path, follow);
        return statHost(r.host(), follow);
    }

    private static FileStat statHost(Path h, boolean follow) throws ErrnoException {
        try {
            return HostStat.of(h, follow);
        } catch (IOException | RuntimeException e) {
            throw new ErrnoException(Errno.of(e));
        }
    }

    private FileStat statFd(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            return f.stat();
        } catch (IOException | RuntimeException e) {
            throw new ErrnoException(Errno.of(e));
        } finally {
            f.release();
        }
    }

    long fstatat(GuestThread t, int dirfd, long pathPtr, long buf, int flags) throws ErrnoException {
        FileStat st = statPath(t, dirfd, Syscalls.path(t, pathPtr), flags);
        t.process.as.writeBytes(buf, st.toStat(), 0, 128);
        return 0;
    }

    long fstat(GuestThread t, int fd, long buf) throws ErrnoException {
        FileStat st = statFd(t, fd);
        t.process.as.writeBytes(buf, st.toStat(), 0, 128);
        return 0;
    }

    long statx(GuestThread t, int dirfd, long pathPtr, int flags, int mask, long buf) throws ErrnoException {
        String path = pathPtr == 0 && (flags & AT_EMPTY_PATH) != 0 ? "" : Syscalls.path(t, pathPtr);
        FileStat st = statPath(t, dirfd, path, flags);
        t.process.as.writeBytes(buf, st.toStatx(), 0, 256);
        return 0;
    }

    /** struct statfs (asm-generic/statfs.h, 120 bytes) from the host's FileStore. */
    long statfs(GuestThread t, int fd, long pathPtr, long buf) throws ErrnoException {
        Path h;
        if (fd >= 0) {
            OpenFile f = file(t, fd);
            try {
                h = f instanceof HostFile hf ? hf.hostPath() : f instanceof DirectoryFile df ? df.hostPath() : null;
            } finally {
                f.release();
            }
            if (h == null) {
                h = Path.of("/");
            }
        } else {
            h = resolve(t, AT_FDCWD, Syscalls.path(t, pathPtr), true).host();
        }
        try {
            FileStore store = Files.getFileStore(h);
            long bsize = 4096;
            ByteBuffer b = ByteBuffer.allocate(120).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, 0xEF53).putLong(8, bsize).putLong(16, store.getTotalSpace() / bsize)
                    .putLong(24, store.getUnallocatedSpace() / bsize).putLong(32, store.getUsableSpace() / bsize)
                    .putLong(40, 1 << 20).putLong(48, 1 << 19).putLong(64, 255).putLong(72, bsize);
            t.process.as.writeBytes(buf, b.array(), 0, 120);
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long getdents64(GuestThread t, int fd, long buf, long count) throws ErrnoException {
        OpenFile f = file(t, fd);
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

    long readlinkat(GuestThread t, int dirfd, long pathPtr, long buf, long size) throws ErrnoException {
        if (size <= 0) {
            return -Errno.EINVAL;
        }
        String path = Syscalls.path(t, pathPtr);
        byte[] target;
        Special sp = special(t, dirfd, path);
        if (sp instanceof Exe e) {
            target = e.guestPath().startsWith("/") ? e.guestPath().getBytes(StandardCharsets.UTF_8)
                    : FileSystemView.normalize(FileSystemView.absolute(t.process.cwd, e.guestPath())).getBytes(StandardCharsets.UTF_8);
        } else if (sp instanceof FdAlias a) {
            OpenFile f = file(t, a.fd());
            try {
                String g = f.guestPath();
                if (g == null) {
                    FileStat st = f.stat();
                    g = (st.mode() & FileStat.S_IFMT) == FileStat.S_IFIFO ? "pipe:[" + st.ino() + "]" : "anon_inode:[" + a.fd() + "]";
                }
                target = g.getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return -Errno.of(e);
            } finally {
                f.release();
            }
        } else if (sp != null) {
            return -Errno.EINVAL;
        } else {
            FileSystemView.Resolved r = resolve(t, dirfd, path, false);
            try {
                target = Files.readSymbolicLink(r.host()).toString().getBytes(StandardCharsets.UTF_8);
            } catch (java.nio.file.NotLinkException e) {
                return -Errno.EINVAL;
            } catch (IOException | RuntimeException e) {
                return -Errno.of(e);
            }
        }
        int n = (int) Math.min(size, target.length);
        t.process.as.writeBytes(buf, target, 0, n);
        return n;
    }

    // ------------------------------------------------------------------ directory edits

    long mkdirat(GuestThread t, int dirfd, long pathPtr, int mode) throws ErrnoException {
        FileSystemView.Resolved r = resolve(t, dirfd, Syscalls.path(t, pathPtr), false);
        try {
            Files.createDirectory(r.host(), PosixFilePermissions.asFileAttribute(perms(mode & ~t.process.umask)));
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long unlinkat(GuestThread t, int dirfd, long pathPtr, int flags) throws ErrnoException {
        FileSystemView.Resolved r = resolve(t, dirfd, Syscalls.path(t, pathPtr), false);
        Path h = r.host();
        boolean isDir = Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS);
        if ((flags & AT_REMOVEDIR) != 0) {
            if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS)) {
                return -Errno.ENOENT;
            }
            if (!isDir) {
                return -Errno.ENOTDIR;
            }
            if (k.fs.jailed() && r.guestPath().equals("/")) {
                return -Errno.EBUSY;
            }
        } else if (isDir) {
            return -Errno.EISDIR;
        }
        try {
            Files.delete(h);
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long renameat2(GuestThread t, int olddirfd, long oldPtr, int newdirfd, long newPtr, int flags) throws ErrnoException {
        FileSystemView.Resolved from = resolve(t, olddirfd, Syscalls.path(t, oldPtr), false);
        FileSystemView.Resolved to = resolve(t, newdirfd, Syscalls.path(t, newPtr), false);
        if ((flags & 2) != 0) {
            return -Errno.EINVAL; // RENAME_EXCHANGE: not available through java.nio
        }
        if ((flags & 1) != 0 && Files.exists(to.host(), LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.EEXIST;
        }
        if (!Files.exists(from.host(), LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.ENOENT;
        }
        try {
            // ATOMIC_MOVE is rename(2) itself: it replaces an existing target as POSIX says.
            Files.move(from.host(), to.host(), StandardCopyOption.ATOMIC_MOVE);
            return 0;
        } catch (AtomicMoveNotSupportedException e) {
            return -Errno.EXDEV;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long symlinkat(GuestThread t, long targetPtr, int newdirfd, long linkPtr) throws ErrnoException {
        String target = Syscalls.path(t, targetPtr);
        FileSystemView.Resolved r = resolve(t, newdirfd, Syscalls.path(t, linkPtr), false);
        try {
            Files.createSymbolicLink(r.host(), Path.of(target));
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long linkat(GuestThread t, int olddirfd, long oldPtr, int newdirfd, long newPtr, int flags) throws ErrnoException {
        FileSystemView.Resolved from = resolve(t, olddirfd, Syscalls.path(t, oldPtr), (flags & AT_SYMLINK_FOLLOW) != 0);
        FileSystemView.Resolved to = resolve(t, newdirfd, Syscalls.path(t, newPtr), false);
        try {
            Files.createLink(to.host(), from.host());
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long faccessat(GuestThread t, int dirfd, long pathPtr, int mode, int flags) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        Special sp = special(t, dirfd, path);
        if (sp != null) {
            return 0;
        }
        FileSystemView.Resolved r = resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        Path h = r.host();
        if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS) || (!Files.exists(h) && (flags & AT_SYMLINK_NOFOLLOW) == 0)) {
            return -Errno.ENOENT;
        }
        if ((mode & 4) != 0 && !Files.isReadable(h)) {
            return -Errno.EACCES;
        }
        if ((mode & 2) != 0 && !Files.isWritable(h)) {
            return -Errno.EACCES;
        }
        if ((mode & 1) != 0 && !Files.isExecutable(h)) {
            return -Errno.EACCES;
        }
        return 0;
    }

    long fchmodat(GuestThread t, int dirfd, long pathPtr, int mode, int flags) throws ErrnoException {
        FileSystemView.Resolved r = resolve(t, dirfd, Syscalls.path(t, pathPtr), true);
        return chmod(r.host(), mode);
    }

    private static long chmod(Path h, int mode) {
        try {
            Files.setAttribute(h, "unix:mode", mode & 07777);
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    private Path hostOf(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (f instanceof HostFile hf) {
                return hf.hostPath();
            }
            if (f instanceof DirectoryFile df) {
                return df.hostPath();
            }
            throw new ErrnoException(Errno.EBADF);
        } finally {
            f.release();
        }
    }

    long fchmod(GuestThread t, int fd, int mode) throws ErrnoException {
        return chmod(hostOf(t, fd), mode);
    }

    long fchownat(GuestThread t, int dirfd, long pathPtr, int uid, int gid, int flags) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        Path h = path.isEmpty() && (flags & AT_EMPTY_PATH) != 0 ? hostOf(t, dirfd)
                : resolve(t, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0).host();
        return chown(h, uid, gid, (flags & AT_SYMLINK_NOFOLLOW) != 0);
    }

    long fchown(GuestThread t, int fd, int uid, int gid) throws ErrnoException {
        return chown(hostOf(t, fd), uid, gid, false);
    }

    private static long chown(Path h, int uid, int gid, boolean nofollow) {
        try {
            LinkOption[] lo = nofollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
            if (uid != -1) {
                Files.setAttribute(h, "unix:uid", uid, lo);
            }
            if (gid != -1) {
                Files.setAttribute(h, "unix:gid", gid, lo);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long utimensat(GuestThread t, int dirfd, long pathPtr, long timesPtr, int flags) throws ErrnoException {
        Path h;
        boolean nofollow = (flags & AT_SYMLINK_NOFOLLOW) != 0;
        if (pathPtr == 0) {
            h = hostOf(t, dirfd);
        } else {
            String path = Syscalls.path(t, pathPtr);
            if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
                h = hostOf(t, dirfd);
            } else {
                h = resolve(t, dirfd, path, !nofollow).host();
            }
        }
        FileTime now = FileTime.from(java.time.Instant.now());
        FileTime atime = now;
        FileTime mtime = now;
        if (timesPtr != 0) {
            AddressSpace as = t.process.as;
            atime = time(as.readLong(timesPtr), as.readLong(timesPtr + 8), now);
            mtime = time(as.readLong(timesPtr + 16), as.readLong(timesPtr + 24), now);
        }
        try {
            BasicFileAttributeView v = nofollow ? Files.getFileAttributeView(h, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.getFileAttributeView(h, BasicFileAttributeView.class);
            if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS)) {
                return -Errno.ENOENT;
            }
            v.setTimes(mtime, atime, null);
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    private static FileTime time(long sec, long nsec, FileTime now) throws ErrnoException {
        if (nsec == UTIME_NOW) {
            return now;
        }
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec < 0 || nsec >= 1_000_000_000L) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return FileTime.from(java.time.Instant.ofEpochSecond(sec, nsec));
    }

    // ------------------------------------------------------------------ descriptors

    long fcntl(GuestThread t, int fd, int cmd, long arg) throws ErrnoException {
        switch (cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                OpenFile f = file(t, fd);
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
                OpenFile f = file(t, fd);
                try {
                    return f.statusFlags();
                } finally {
                    f.release();
                }
            }
            case F_SETFL -> {
                OpenFile f = file(t, fd);
                try {
                    f.setStatusFlags((int) arg);
                    return 0;
                } finally {
                    f.release();
                }
            }
            case F_GETLK -> {
                OpenFile f = file(t, fd);
                f.release();
                t.process.as.writeBytes(arg, new byte[] {2, 0}, 0, 2); // l_type = F_UNLCK: no conflicting lock
                return 0;
            }
            case F_SETLK, F_SETLKW, F_SETOWN, F_GETOWN -> {
                OpenFile f = file(t, fd);
                f.release();
                return 0;
            }
            case F_SETPIPE_SZ, F_GETPIPE_SZ -> {
                OpenFile f = file(t, fd);
                f.release();
                return Pipe.CAPACITY;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    long dup(GuestThread t, int fd) throws ErrnoException {
        return t.process.fds.install(file(t, fd), 0, false);
    }

    long dup3(GuestThread t, int oldfd, int newfd, int flags) throws ErrnoException {
        if (oldfd == newfd) {
            return -Errno.EINVAL;
        }
        if ((flags & ~OpenFile.O_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        return t.process.fds.installAt(newfd, file(t, oldfd), (flags & OpenFile.O_CLOEXEC) != 0);
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

    long ioctl(GuestThread t, int fd, long req, long arg) throws ErrnoException {
        OpenFile f = file(t, fd);
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
                case TCSETS, TCSETSW, TCSETSF, TIOCSWINSZ, TIOCSPGRP -> {
                    return 0;
                }
                case TIOCGWINSZ -> {
                    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    b.putShort((short) envInt("LINES", 24)).putShort((short) envInt("COLUMNS", 80));
                    t.process.as.writeBytes(arg, b.array(), 0, 8);
                    return 0;
                }
                case TIOCGPGRP -> {
                    t.process.as.writeInt(arg, t.process.pgid);
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

    // ------------------------------------------------------------------ cwd

    long getcwd(GuestThread t, long buf, long size) {
        byte[] cwd = t.process.cwd.getBytes(StandardCharsets.UTF_8);
        if (size < cwd.length + 1) {
            return -Errno.ERANGE;
        }
        byte[] out = new byte[cwd.length + 1];
        System.arraycopy(cwd, 0, out, 0, cwd.length);
        t.process.as.writeBytes(buf, out, 0, out.length);
        return out.length;
    }

    long chdir(GuestThread t, long pathPtr) throws ErrnoException {
        FileSystemView.Resolved r = resolve(t, AT_FDCWD, Syscalls.path(t, pathPtr), true);
        if (!Files.exists(r.host())) {
            return -Errno.ENOENT;
        }
        if (!Files.isDirectory(r.host())) {
            return -Errno.ENOTDIR;
        }
        if (!Files.isExecutable(r.host())) {
            return -Errno.EACCES;
        }
        if (k.fs.jailed()) {
            t.process.cwd = r.guestPath();
        } else {
            try {
                t.process.cwd = r.host().toRealPath().toString();
            } catch (IOException e) {
                return -Errno.of(e);
            }
        }
        return 0;
    }

    long fchdir(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            if (!(f instanceof DirectoryFile d)) {
                return -Errno.ENOTDIR;
            }
            t.process.cwd = d.guestPath();
            return 0;
        } finally {
            f.release();
        }
    }

    // ------------------------------------------------------------------ sizes and sync

    long truncate(GuestThread t, long pathPtr, long len) throws ErrnoException {
        if (len < 0) {
            return -Errno.EINVAL;
        }
        FileSystemView.Resolved r = resolve(t, AT_FDCWD, Syscalls.path(t, pathPtr), true);
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
        OpenFile f = file(t, fd);
        try {
            return f.truncate(len);
        } finally {
            f.release();
        }
    }

    long fsync(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = file(t, fd);
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
        OpenFile f = file(t, fd);
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
        OpenFile in = file(t, inFd);
        try {
            OpenFile out = file(t, outFd);
            try {
                byte[] tmp = new byte[(int) Math.min(Math.max(count, 0), MAX_IO)];
                long r;
                long inOff = inOffPtr != 0 ? t.process.as.readLong(inOffPtr) : -1;
                r = inOff >= 0 ? in.pread(ByteBuffer.wrap(tmp), inOff) : in.read(ByteBuffer.wrap(tmp), t, true);
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

    // ------------------------------------------------------------------ poll/select

    /** A timespec pointer as nanoseconds; -1 for NULL (wait forever). */
    static long timeout(GuestThread t, long tsPtr) throws ErrnoException {
        if (tsPtr == 0) {
            return -1;
        }
        long sec = t.process.as.readLong(tsPtr);
        long nsec = t.process.as.readLong(tsPtr + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + nsec;
    }

    /**
     * ppoll: readiness comes from each file's poll(); when nothing is ready, the thread re-checks
     * every few milliseconds (pipes and host streams have no shared wake-up source), interruptibly.
     */
    long ppoll(GuestThread t, long fdsPtr, long nfds, long tsPtr) throws ErrnoException {
        if (nfds < 0 || nfds > 4096) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        byte[] raw = as.readBytes(fdsPtr, (int) nfds * 8);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Object idle = new Object();
        while (true) {
            int ready = 0;
            for (int i = 0; i < nfds; i++) {
                int fd = b.getInt(i * 8);
                short events = b.getShort(i * 8 + 4);
                int rev = 0;
                if (fd >= 0) {
                    OpenFile f = t.process.fds.acquire(fd);
                    if (f == null) {
                        rev = OpenFile.POLLNVAL;
                    } else {
                        rev = f.poll() & (events | OpenFile.POLLERR | OpenFile.POLLHUP);
                        f.release();
                    }
                }
                b.putShort(i * 8 + 6, (short) rev);
                if (rev != 0) {
                    ready++;
                }
            }
            if (ready > 0 || timeout == 0 || (timeout > 0 && System.nanoTime() >= deadline)) {
                as.writeBytes(fdsPtr, raw, 0, raw.length);
                return ready;
            }
            if (!t.await(idle, () -> false, 5_000_000L)) {
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    long pselect6(GuestThread t, int nfds, long readPtr, long writePtr, long exceptPtr, long tsPtr) throws ErrnoException {
        if (nfds < 0 || nfds > hv.procvm.fs.FdTable.MAX_FDS) {
            return -Errno.EINVAL;
        }
        long timeout = timeout(t, tsPtr);
        long deadline = System.nanoTime() + timeout;
        AddressSpace as = t.process.as;
        int words = (nfds + 63) / 64;
        long[] rin = readSet(as, readPtr, words);
        long[] win = readSet(as, writePtr, words);
        long[] ein = readSet(as, exceptPtr, words);
        Object idle = new Object();
        while (true) {
            long[] rout = new long[words];
            long[] wout = new long[words];
            int ready = 0;
            for (int fd = 0; fd < nfds; fd++) {
                long bit = 1L << (fd & 63);
                int w = fd >> 6;
                boolean wantR = (rin[w] & bit) != 0;
                boolean wantW = (win[w] & bit) != 0;
                if (!wantR && !wantW && (ein[w] & bit) == 0) {
                    continue;
                }
                OpenFile f = t.process.fds.acquire(fd);
                if (f == null) {
                    return -Errno.EBADF;
                }
                int ev = f.poll();
                f.release();
                if (wantR && (ev & (OpenFile.POLLIN | OpenFile.POLLHUP | OpenFile.POLLERR)) != 0) {
                    rout[w] |= bit;
                    ready++;
                }
                if (wantW && (ev & (OpenFile.POLLOUT | OpenFile.POLLERR)) != 0) {
                    wout[w] |= bit;
                    ready++;
                }
            }
            if (ready > 0 || timeout == 0 || (timeout > 0 && System.nanoTime() >= deadline)) {
                writeSet(as, readPtr, rout);
                writeSet(as, writePtr, wout);
                writeSet(as, exceptPtr, new long[words]);
                return ready;
            }
            if (!t.await(idle, () -> false, 5_000_000L)) {
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    private static long[] readSet(AddressSpace as, long ptr, int words) {
        long[] s = new long[words];
        if (ptr != 0) {
            for (int i = 0; i < words; i++) {
                s[i] = as.readLong(ptr + 8L * i);
            }
        }
        return s;
    }

    private static void writeSet(AddressSpace as, long ptr, long[] s) {
        if (ptr != 0) {
            for (int i = 0; i < s.length; i++) {
                as.writeLong(ptr + 8L * i, s[i]);
            }
        }
    }

}
