package hv.procvm.kernel;

import hv.procvm.fs.DeviceFile;
import hv.procvm.fs.DirectoryFile;
import hv.procvm.fs.Errno;
import hv.procvm.fs.ErrnoException;
import hv.procvm.fs.FileStat;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.GeneratedFile;
import hv.procvm.fs.HostFile;
import hv.procvm.fs.HostStat;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.PathOnlyFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How system calls name files: descriptors (with a reference held while in use), paths relative
 * to a directory descriptor or the cwd, resolved through the {@link hv.procvm.fs.FileSystemView},
 * and HV's own special files (/proc/self/exe, /proc/self/fd/N, /dev/std*, and the emulated
 * devices under a sysroot). Also stat of whatever a path or descriptor names.
 */
final class GuestPaths {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;

    private final Kernel k;

    GuestPaths(Kernel k) {
        this.k = k;
    }

    OpenFile file(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = t.process.fds.acquire(fd);
        if (f == null) {
            throw new ErrnoException(Errno.EBADF);
        }
        return f;
    }

    /** The guest directory a *at() call is relative to. */
    String baseDir(GuestThread t, int dirfd, String path) throws ErrnoException {
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

    FileSystemView.Resolved resolve(GuestThread t, int dirfd, String path, boolean follow) throws ErrnoException {
        return k.fs.resolve(baseDir(t, dirfd, path), path, follow);
    }

    /** HV's own files: /proc/self/exe, /proc/self/fd/N, /dev/std*, and under a sysroot the /dev devices. */
    sealed interface Special permits Exe, FdAlias, Device, Generated, Tty {
    }

    record Exe(Path host, String guestPath) implements Special {
    }

    record FdAlias(int fd) implements Special {
    }

    record Device(DeviceFile.Kind kind) implements Special {
    }

    /** One of HV's /proc files, generated now. */
    /** /dev/tty: the controlling terminal, which is HV's own when one of its standard streams is a terminal. */
    record Tty() implements Special {
    }

    record Generated(byte[] content) implements Special {
    }

    private static final java.util.regex.Pattern PROC_PID = java.util.regex.Pattern.compile("/proc/([0-9]{1,9})(/.*)?");

    Special special(GuestThread t, int dirfd, String path) throws ErrnoException {
        if (!path.startsWith("/dev/") && !path.startsWith("/proc/") && !(dirfd == AT_FDCWD && !path.startsWith("/")
                && (t.process.cwd.startsWith("/dev") || t.process.cwd.startsWith("/proc")))) {
            return null;
        }
        String abs = FileSystemView.normalize(FileSystemView.absolute(baseDir(t, dirfd, path), path));
        GuestProcess p = t.process;
        java.util.regex.Matcher m = PROC_PID.matcher(abs);
        if (m.matches()) {
            // /proc/PID/...: the named guest process, as /proc/self/... of that process.
            GuestProcess other = k.process(Integer.parseInt(m.group(1)));
            if (other == null || other.zombie) {
                throw new ErrnoException(Errno.ENOENT);
            }
            p = other;
            abs = "/proc/self" + m.group(2);
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
            case "/dev/tty" -> {
                return new Tty();
            }
            default -> {
            }
        }
        byte[] proc = abs.startsWith("/proc/") ? ProcFiles.content(k, p, abs) : null;
        if (proc != null) {
            return new Generated(proc);
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

    FileStat statPath(GuestThread t, int dirfd, String path, int flags) throws ErrnoException {
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
                case Generated g -> GeneratedFile.statOf(k.uid, k.gid);
                case Tty y -> FileStat.synthetic(FileStat.S_IFCHR | 0666, FileStat.makedev(5, 0), 5, 0, 0);
            };
        }
        FileSystemView.Resolved r = resolve(t, dirfd, path, follow);
        return statHost(r.host(), follow);
    }

    static FileStat statHost(Path h, boolean follow) throws ErrnoException {
        try {
            return HostStat.of(h, follow);
        } catch (IOException | RuntimeException e) {
            throw new ErrnoException(Errno.of(e));
        }
    }

    FileStat statFd(GuestThread t, int fd) throws ErrnoException {
        OpenFile f = file(t, fd);
        try {
            return f.stat();
        } catch (IOException | RuntimeException e) {
            throw new ErrnoException(Errno.of(e));
        } finally {
            f.release();
        }
    }

    Path hostOf(GuestThread t, int fd) throws ErrnoException {
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
}
