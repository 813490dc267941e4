package hv.procvm.fs;

/**
 * A process's file descriptor table: fd → open file description, plus the close-on-exec flag.
 * Shared by the threads of a process (every method is synchronized); fork copies it (the copies
 * share the descriptions, as POSIX requires).
 */
public final class FdTable implements EpollFile.Fds {
    /** RLIMIT_NOFILE. */
    public static final int MAX_FDS = 1024;

    private OpenFile[] files = new OpenFile[64];
    private boolean[] cloexec = new boolean[64];

    /** The description behind fd with one more reference (the caller releases it), or null (EBADF). */
    @Override
    public synchronized OpenFile acquire(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            return null;
        }
        return files[fd].retain();
    }

    /** Installs a description (taking over the caller's reference) at the lowest free fd ≥ minFd. */
    public synchronized int install(OpenFile f, int minFd, boolean closeOnExec) {
        for (int fd = Math.max(0, minFd); fd < MAX_FDS; fd++) {
            if (fd >= files.length) {
                grow(fd);
            }
            if (files[fd] == null) {
                files[fd] = f;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        f.release();
        return -Errno.EMFILE;
    }

    /** dup2/dup3: installs at exactly fd, closing what was there. */
    public synchronized int installAt(int fd, OpenFile f, boolean closeOnExec) {
        if (fd < 0 || fd >= MAX_FDS) {
            f.release();
            return -Errno.EBADF;
        }
        if (fd >= files.length) {
            grow(fd);
        }
        OpenFile old = files[fd];
        files[fd] = f;
        cloexec[fd] = closeOnExec;
        if (old != null) {
            old.release();
        }
        return fd;
    }

    private void grow(int fd) {
        int n = files.length;
        while (n <= fd) {
            n *= 2;
        }
        files = java.util.Arrays.copyOf(files, n);
        cloexec = java.util.Arrays.copyOf(cloexec, n);
    }

    public synchronized int close(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            return -Errno.EBADF;
        }
        OpenFile f = files[fd];
        files[fd] = null;
        f.release();
        return 0;
    }

    public synchronized boolean isOpen(int fd) {
        return fd >= 0 && fd < files.length && files[fd] != null;
    }

    public synchronized int getCloexec(int fd) {
        return isOpen(fd) ? (cloexec[fd] ? 1 : 0) : -Errno.EBADF;
    }

    public synchronized int setCloexec(int fd, boolean on) {
        if (!isOpen(fd)) {
            return -Errno.EBADF;
        }
        cloexec[fd] = on;
        return 0;
    }

    public synchronized FdTable copy() {
        FdTable t = new FdTable();
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        for (OpenFile f : t.files) {
            if (f != null) {
                f.retain();
            }
        }
        return t;
    }

    public synchronized void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && cloexec[fd]) {
                files[fd].release();
                files[fd] = null;
            }
        }
    }

    /** close_range(first, last): closes (or marks close-on-exec) every fd in the range. */
    public synchronized void closeRange(int first, int last, boolean onlyCloexec) {
        for (int fd = Math.max(0, first); fd <= last && fd < files.length; fd++) {
            if (files[fd] != null) {
                if (onlyCloexec) {
                    cloexec[fd] = true;
                } else {
                    files[fd].release();
                    files[fd] = null;
                }
            }
        }
    }

    public synchronized void closeAll() {
        closeRange(0, files.length - 1, false);
    }

    /** Open fds (for /proc/self/fd style listings and tests). */
    public synchronized int count() {
        int n = 0;
        for (OpenFile f : files) {
            if (f != null) {
                n++;
            }
        }
        return n;
    }
}
