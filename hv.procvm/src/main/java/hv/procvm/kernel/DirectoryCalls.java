package hv.procvm.kernel;

import hv.procvm.fs.DirectoryFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileStat;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.OpenFile;
import hv.procvm.mem.AddressSpace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

/** The file-system namespace: links, directories, renames, permissions, owners, times, the cwd, statfs. */
final class DirectoryCalls {
    static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    private final Kernel k;
    private final GuestPaths paths;

    DirectoryCalls(Kernel k, GuestPaths paths) {
        this.k = k;
        this.paths = paths;
    }

    /** struct statfs (asm-generic/statfs.h, 120 bytes) from the host's FileStore. */
    long statfs(GuestThread t, int fd, long pathPtr, long buf) throws ErrnoException {
        Path h;
        if (fd >= 0) {
            OpenFile f = paths.file(t, fd);
            try {
                h = f instanceof HostFile hf ? hf.hostPath() : f instanceof DirectoryFile df ? df.hostPath() : null;
            } finally {
                f.release();
            }
            if (h == null) {
                h = Path.of("/");
            }
        } else {
            h = paths.resolve(t, GuestPaths.AT_FDCWD, Syscalls.path(t, pathPtr), true).host();
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

    long readlinkat(GuestThread t, int dirfd, long pathPtr, long buf, long size) throws ErrnoException {
        if (size <= 0) {
            return -Errno.EINVAL;
        }
        String path = Syscalls.path(t, pathPtr);
        byte[] target;
        GuestPaths.Special sp = paths.special(t, dirfd, path);
        if (sp instanceof GuestPaths.Exe e) {
            target = e.guestPath().startsWith("/") ? e.guestPath().getBytes(StandardCharsets.UTF_8)
                    : FileSystemView.normalize(FileSystemView.absolute(t.process.cwd, e.guestPath())).getBytes(StandardCharsets.UTF_8);
        } else if (sp instanceof GuestPaths.FdAlias a) {
            OpenFile f = paths.file(t, a.fd());
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
            FileSystemView.Resolved r = paths.resolve(t, dirfd, path, false);
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

    long mkdirat(GuestThread t, int dirfd, long pathPtr, int mode) throws ErrnoException {
        FileSystemView.Resolved r = paths.resolve(t, dirfd, Syscalls.path(t, pathPtr), false);
        try {
            Files.createDirectory(r.host(), PosixFilePermissions.asFileAttribute(FileCalls.perms(mode & ~t.process.umask)));
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long unlinkat(GuestThread t, int dirfd, long pathPtr, int flags) throws ErrnoException {
        FileSystemView.Resolved r = paths.resolve(t, dirfd, Syscalls.path(t, pathPtr), false);
        Path h = r.host();
        boolean isDir = Files.isDirectory(h, LinkOption.NOFOLLOW_LINKS);
        if ((flags & GuestPaths.AT_REMOVEDIR) != 0) {
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
        FileSystemView.Resolved from = paths.resolve(t, olddirfd, Syscalls.path(t, oldPtr), false);
        FileSystemView.Resolved to = paths.resolve(t, newdirfd, Syscalls.path(t, newPtr), false);
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
        FileSystemView.Resolved r = paths.resolve(t, newdirfd, Syscalls.path(t, linkPtr), false);
        try {
            Files.createSymbolicLink(r.host(), Path.of(target));
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long linkat(GuestThread t, int olddirfd, long oldPtr, int newdirfd, long newPtr, int flags) throws ErrnoException {
        FileSystemView.Resolved from = paths.resolve(t, olddirfd, Syscalls.path(t, oldPtr), (flags & GuestPaths.AT_SYMLINK_FOLLOW) != 0);
        FileSystemView.Resolved to = paths.resolve(t, newdirfd, Syscalls.path(t, newPtr), false);
        try {
            Files.createLink(to.host(), from.host());
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    long faccessat(GuestThread t, int dirfd, long pathPtr, int mode, int flags) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        GuestPaths.Special sp = paths.special(t, dirfd, path);
        if (sp != null) {
            return 0;
        }
        FileSystemView.Resolved r = paths.resolve(t, dirfd, path, (flags & GuestPaths.AT_SYMLINK_NOFOLLOW) == 0);
        Path h = r.host();
        if (!Files.exists(h, LinkOption.NOFOLLOW_LINKS) || (!Files.exists(h) && (flags & GuestPaths.AT_SYMLINK_NOFOLLOW) == 0)) {
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
        FileSystemView.Resolved r = paths.resolve(t, dirfd, Syscalls.path(t, pathPtr), true);
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

    long fchmod(GuestThread t, int fd, int mode) throws ErrnoException {
        return chmod(paths.hostOf(t, fd), mode);
    }

    long fchownat(GuestThread t, int dirfd, long pathPtr, int uid, int gid, int flags) throws ErrnoException {
        String path = Syscalls.path(t, pathPtr);
        Path h = path.isEmpty() && (flags & GuestPaths.AT_EMPTY_PATH) != 0 ? paths.hostOf(t, dirfd)
                : paths.resolve(t, dirfd, path, (flags & GuestPaths.AT_SYMLINK_NOFOLLOW) == 0).host();
        return chown(h, uid, gid, (flags & GuestPaths.AT_SYMLINK_NOFOLLOW) != 0);
    }

    long fchown(GuestThread t, int fd, int uid, int gid) throws ErrnoException {
        return chown(paths.hostOf(t, fd), uid, gid, false);
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
        boolean nofollow = (flags & GuestPaths.AT_SYMLINK_NOFOLLOW) != 0;
        if (pathPtr == 0) {
            h = paths.hostOf(t, dirfd);
        } else {
            String path = Syscalls.path(t, pathPtr);
            if (path.isEmpty() && (flags & GuestPaths.AT_EMPTY_PATH) != 0) {
                h = paths.hostOf(t, dirfd);
            } else {
                h = paths.resolve(t, dirfd, path, !nofollow).host();
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
        FileSystemView.Resolved r = paths.resolve(t, GuestPaths.AT_FDCWD, Syscalls.path(t, pathPtr), true);
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
        OpenFile f = paths.file(t, fd);
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
}
