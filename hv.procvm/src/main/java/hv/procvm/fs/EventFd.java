package hv.procvm.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd (eventfd(2)): a 64-bit counter behind a descriptor. A write of an 8-byte value adds
 * it (blocking while the sum would exceed 0xfffffffffffffffe); a read returns the counter and
 * resets it to zero, or with EFD_SEMAPHORE returns 1 and decrements it; a read of a zero counter
 * blocks (or fails with EAGAIN when non-blocking). Readable when the counter is non-zero, writable
 * while at least 1 can be added. Unsigned arithmetic throughout: the counter is a __u64.
 */
public final class EventFd extends OpenFile {
    public static final int EFD_SEMAPHORE = 1;
    /** The largest counter value (ULLONG_MAX - 1): writing ULLONG_MAX itself is EINVAL. */
    private static final long MAX = 0xffff_ffff_ffff_fffeL;
    private static long nextIno = 2_000_000;

    private final boolean semaphore;
    private final long ino;
    private final int uid;
    private final int gid;
    private long count;
    private volatile long changes;

    public EventFd(long initial, int flags, int uid, int gid) {
        super(O_RDWR | (flags & O_NONBLOCK));
        this.count = initial & 0xffff_ffffL;
        this.semaphore = (flags & EFD_SEMAPHORE) != 0;
        synchronized (EventFd.class) {
            this.ino = nextIno++;
        }
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public synchronized long read(ByteBuffer dst, Waiter waiter, boolean block) {
        if (dst.remaining() < 8) {
            return -Errno.EINVAL;
        }
        while (count == 0) {
            if ((statusFlags & O_NONBLOCK) != 0) {
                return -Errno.EAGAIN;
            }
            if (!waiter.await(this, () -> count != 0, -1)) {
                return -Errno.ERESTARTSYS;
            }
        }
        long value = semaphore ? 1 : count;
        count = semaphore ? count - 1 : 0;
        dst.order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        changes++;
        notifyAll();
        Readiness.changed();
        return 8;
    }

    @Override
    public synchronized long write(ByteBuffer src, Waiter waiter) {
        if (src.remaining() < 8) {
            return -Errno.EINVAL;
        }
        long add = src.order(ByteOrder.LITTLE_ENDIAN).getLong(src.position());
        if (add == -1L) {
            return -Errno.EINVAL;
        }
        while (Long.compareUnsigned(add, MAX - count) > 0) {
            if ((statusFlags & O_NONBLOCK) != 0) {
                return -Errno.EAGAIN;
            }
            if (!waiter.await(this, () -> Long.compareUnsigned(add, MAX - count) <= 0, -1)) {
                return -Errno.ERESTARTSYS;
            }
        }
        count += add;
        src.position(src.position() + 8);
        changes++;
        notifyAll();
        Readiness.changed();
        return 8;
    }

    @Override
    public synchronized int poll() {
        return (count != 0 ? POLLIN : 0) | (count != MAX ? POLLOUT : 0);
    }

    @Override
    public long changes() {
        return changes;
    }

    /** The counter (for /proc/self/fdinfo-style diagnostics and tests). */
    public synchronized long count() {
        return count;
    }

    @Override
    public FileStat stat() {
        // An anonymous inode, as Linux reports it: mode 0600, no type bits.
        return FileStat.synthetic(0600, 0, ino, uid, gid);
    }
}
