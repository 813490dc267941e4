package hv.procvm.fs;

import java.nio.ByteBuffer;

/**
 * An in-JVM pipe (pipe(7)): a 64 KiB ring buffer between a read end and a write end, each an open
 * file description. Reads block until data or EOF (no writer left); writes block while full, and
 * writes of at most PIPE_BUF bytes are atomic; writing with no reader left raises SIGPIPE and fails
 * with EPIPE. Waiting goes through {@link Waiter}, so a guest signal interrupts it.
 */
public final class Pipe {
    public static final int CAPACITY = 65536;
    public static final int PIPE_BUF = 4096;
    private static long nextIno = 1_000_000;

    private final byte[] buf = new byte[CAPACITY];
    private final long ino;
    private final int uid;
    private final int gid;
    private int head;
    private int count;
    private int readers = 1;
    private int writers = 1;
    private volatile long changes;
    private final ReadEnd readEnd;
    private final WriteEnd writeEnd;

    public Pipe(int flags, int uid, int gid) {
        synchronized (Pipe.class) {
            ino = nextIno++;
        }
        this.uid = uid;
        this.gid = gid;
        int nonblock = flags & OpenFile.O_NONBLOCK;
        readEnd = new ReadEnd(OpenFile.O_RDONLY | nonblock);
        writeEnd = new WriteEnd(OpenFile.O_WRONLY | nonblock);
    }

    public OpenFile readEnd() {
        return readEnd;
    }

    public OpenFile writeEnd() {
        return writeEnd;
    }

    FileStat stat() {
        return FileStat.synthetic(FileStat.S_IFIFO | 0600, 0, ino, uid, gid);
    }

    final class ReadEnd extends OpenFile {
        ReadEnd(int flags) {
            super(flags);
        }

        @Override
        public long read(ByteBuffer dst, Waiter waiter, boolean block) {
            synchronized (Pipe.this) {
                while (count == 0) {
                    if (writers == 0) {
                        return 0;
                    }
                    if (!block || (statusFlags & O_NONBLOCK) != 0) {
                        return -Errno.EAGAIN;
                    }
                    if (!waiter.await(Pipe.this, () -> count > 0 || writers == 0, -1)) {
                        return -Errno.ERESTARTSYS;
                    }
                }
                int n = Math.min(count, dst.remaining());
                int first = Math.min(n, CAPACITY - head);
                dst.put(buf, head, first);
                dst.put(buf, 0, n - first);
                head = (head + n) % CAPACITY;
                count -= n;
                Pipe.this.notifyAll();
                changes++;
                Readiness.changed();
                return n;
            }
        }

        @Override
        public long write(ByteBuffer src, Waiter waiter) {
            return -Errno.EBADF;
        }

        @Override
        public boolean shortReads() {
            return true;
        }

        @Override
        public long changes() {
            return changes;
        }

        @Override
        public int poll() {
            synchronized (Pipe.this) {
                return (count > 0 ? POLLIN : 0) | (writers == 0 ? POLLHUP : 0);
            }
        }

        @Override
        public FileStat stat() {
            return Pipe.this.stat();
        }

        @Override
        protected void closeResource() {
            synchronized (Pipe.this) {
                readers--;
                changes++;
                Pipe.this.notifyAll();
            }
            Readiness.changed();
        }
    }

    final class WriteEnd extends OpenFile {
        WriteEnd(int flags) {
            super(flags);
        }

        @Override
        public long read(ByteBuffer dst, Waiter waiter, boolean block) {
            return -Errno.EBADF;
        }

        @Override
        public long write(ByteBuffer src, Waiter waiter) {
            synchronized (Pipe.this) {
                long total = 0;
                while (src.hasRemaining()) {
                    if (readers == 0) {
                        waiter.raiseSigpipe();
                        return total > 0 ? total : -Errno.EPIPE;
                    }
                    int need = total == 0 && src.remaining() <= PIPE_BUF ? src.remaining() : 1;
                    if (CAPACITY - count < need) {
                        if ((statusFlags & O_NONBLOCK) != 0) {
                            return total > 0 ? total : -Errno.EAGAIN;
                        }
                        final int want = need;
                        if (!waiter.await(Pipe.this, () -> readers == 0 || CAPACITY - count >= want, -1)) {
                            return total > 0 ? total : -Errno.ERESTARTSYS;
                        }
                        continue;
                    }
                    int n = Math.min(CAPACITY - count, src.remaining());
                    int tail = (head + count) % CAPACITY;
                    int first = Math.min(n, CAPACITY - tail);
                    src.get(buf, tail, first);
                    src.get(buf, 0, n - first);
                    count += n;
                    total += n;
                    Pipe.this.notifyAll();
                    changes++;
                Readiness.changed();
                }
                return total;
            }
        }

        @Override
        public long changes() {
            return changes;
        }

        @Override
        public int poll() {
            synchronized (Pipe.this) {
                return (CAPACITY - count >= PIPE_BUF ? POLLOUT : 0) | (readers == 0 ? POLLERR : 0);
            }
        }

        @Override
        public FileStat stat() {
            return Pipe.this.stat();
        }

        @Override
        protected void closeResource() {
            synchronized (Pipe.this) {
                writers--;
                changes++;
                Pipe.this.notifyAll();
            }
            Readiness.changed();
        }
    }
}
