package hv.procvm.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open file description (what an fd refers to; shared by dup and by fork): its status flags,
 * its position, and the operations. Reference-counted: the host resource is closed when the last
 * descriptor referring to it is closed. Operations return a byte count or a negative errno; they
 * never throw for guest-controlled input.
 */
public abstract class OpenFile {
    public static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public static final int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000,
            O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000,
            O_PATH = 010000000, O_TMPFILE = 020000000;
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;

    private final AtomicInteger refs = new AtomicInteger(1);
    /** Access mode and the F_SETFL-changeable status flags (O_APPEND, O_NONBLOCK). */
    protected volatile int statusFlags;

    protected OpenFile(int statusFlags) {
        this.statusFlags = statusFlags;
    }

    public final OpenFile retain() {
        refs.incrementAndGet();
        return this;
    }

    public final void release() {
        if (refs.decrementAndGet() == 0) {
            closeResource();
        }
    }

    /** Called once, when the last reference goes away. */
    protected void closeResource() {
    }

    public int statusFlags() {
        return statusFlags;
    }

    /** F_SETFL: only O_APPEND and O_NONBLOCK may change (Linux also ignores the rest). */
    public void setStatusFlags(int flags) {
        int changeable = O_APPEND | O_NONBLOCK;
        statusFlags = (statusFlags & ~changeable) | (flags & changeable);
    }

    public boolean readable() {
        int acc = statusFlags & O_ACCMODE;
        return (statusFlags & O_PATH) == 0 && (acc == O_RDONLY || acc == O_RDWR);
    }

    public boolean writable() {
        int acc = statusFlags & O_ACCMODE;
        return (statusFlags & O_PATH) == 0 && (acc == O_WRONLY || acc == O_RDWR);
    }

    /** Reads into dst; {@code block} false means "only what is available now" (-EAGAIN if nothing). */
    public long read(ByteBuffer dst, Waiter waiter, boolean block) {
        return -Errno.EINVAL;
    }

    public long write(ByteBuffer src, Waiter waiter) {
        return -Errno.EINVAL;
    }

    public long pread(ByteBuffer dst, long position) {
        return -Errno.ESPIPE;
    }

    public long pwrite(ByteBuffer src, long position) {
        return -Errno.ESPIPE;
    }

    public long seek(long offset, int whence) {
        return -Errno.ESPIPE;
    }

    public long truncate(long length) {
        return -Errno.EINVAL;
    }

    public long sync() {
        return 0;
    }

    public abstract FileStat stat() throws IOException;

    /** Whether reads may return data now / writes may proceed now (for poll/select). */
    public int poll() {
        return (readable() ? POLLIN : 0) | (writable() ? POLLOUT : 0);
    }

    /**
     * A number that changes whenever new data or space may have appeared (edge-triggered epoll
     * reports an event when it moved); files without in-JVM state changes keep 0.
     */
    public long changes() {
        return 0;
    }

    /** Whether epoll may watch this file (Linux refuses regular files and directories: EPERM). */
    public boolean pollable() {
        return !isRegular();
    }

    /** A terminal (for TCGETS/TIOCGWINSZ, isatty). */
    public boolean isTerminal() {
        return false;
    }

    /** A regular file, whose reads return as much as asked up to EOF (so reads may span pages). */
    public boolean isRegular() {
        return false;
    }

    /**
     * Whether a read that filled its buffer may be followed by another without blocking (regular
     * files, pipes, emulated devices); host streams say no, so one read(2) is one host read.
     */
    public boolean canPeek() {
        return isRegular();
    }

    /**
     * Whether one read returns at most what is buffered now (pipes, host pipes and terminals), so
     * a huge count need not be matched by a huge buffer: reads are capped at a pipe's capacity.
     */
    public boolean shortReads() {
        return false;
    }

    /** The guest path this description was opened with, or null (pipes, stdio). */
    public String guestPath() {
        return null;
    }
}
