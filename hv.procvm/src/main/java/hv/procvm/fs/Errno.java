package hv.procvm.fs;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Map;

/**
 * Linux errno values (uapi asm-generic/errno-base.h and errno.h) and the translation of host I/O
 * failures into them. Host failures carry the host's strerror text as their "reason"
 * (FileSystemException.getReason), which identifies the errno exactly on Linux hosts.
 */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
            EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17,
            EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25,
            ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, ERANGE = 34,
            EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61,
            EOVERFLOW = 75, ENOTSOCK = 88, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, ETIMEDOUT = 110;
    /** Kernel-internal: the syscall was interrupted by a signal and may be restarted (never seen by the guest). */
    public static final int ERESTARTSYS = 512;

    private static final Map<String, Integer> BY_REASON = Map.ofEntries(
            Map.entry("Operation not permitted", EPERM),
            Map.entry("No such file or directory", ENOENT),
            Map.entry("Input/output error", EIO),
            Map.entry("No such device or address", ENXIO),
            Map.entry("Bad file descriptor", EBADF),
            Map.entry("Resource temporarily unavailable", EAGAIN),
            Map.entry("Permission denied", EACCES),
            Map.entry("Device or resource busy", EBUSY),
            Map.entry("File exists", EEXIST),
            Map.entry("Invalid cross-device link", EXDEV),
            Map.entry("No such device", ENODEV),
            Map.entry("Not a directory", ENOTDIR),
            Map.entry("Is a directory", EISDIR),
            Map.entry("Invalid argument", EINVAL),
            Map.entry("Too many open files", EMFILE),
            Map.entry("Inappropriate ioctl for device", ENOTTY),
            Map.entry("Text file busy", ETXTBSY),
            Map.entry("File too large", EFBIG),
            Map.entry("No space left on device", ENOSPC),
            Map.entry("Illegal seek", ESPIPE),
            Map.entry("Read-only file system", EROFS),
            Map.entry("Too many links", EMLINK),
            Map.entry("Broken pipe", EPIPE),
            Map.entry("File name too long", ENAMETOOLONG),
            Map.entry("Directory not empty", ENOTEMPTY),
            Map.entry("Too many levels of symbolic links", ELOOP),
            Map.entry("Operation not supported", EOPNOTSUPP),
            Map.entry("No data available", ENODATA));

    private Errno() {
    }

    /** The errno for a host I/O failure (a positive number). */
    public static int of(Throwable e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            Integer byReason = BY_REASON.get(fse.getReason());
            if (byReason != null) {
                return byReason;
            }
        }
        return switch (e) {
            case NoSuchFileException x -> ENOENT;
            case FileAlreadyExistsException x -> EEXIST;
            case DirectoryNotEmptyException x -> ENOTEMPTY;
            case AccessDeniedException x -> EACCES;
            case NotDirectoryException x -> ENOTDIR;
            case NotLinkException x -> EINVAL;
            case FileSystemLoopException x -> ELOOP;
            case ClosedChannelException x -> EBADF;
            case NonReadableChannelException x -> EBADF;
            case NonWritableChannelException x -> EBADF;
            case UnsupportedOperationException x -> EOPNOTSUPP;
            case SecurityException x -> EACCES;
            case IOException x when "Illegal seek".equals(x.getMessage()) -> ESPIPE;
            case IOException x when "Broken pipe".equals(x.getMessage()) -> EPIPE;
            case IOException x when "Is a directory".equals(x.getMessage()) -> EISDIR;
            default -> EIO;
        };
    }
}
