package hv.procvm.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A host file opened through java.nio: regular files and, without a sysroot, host devices and FIFOs. */
public final class HostFile extends OpenFile {
    private final FileChannel channel;
    private final Path host;
    private final String guestPath;
    private final boolean regular;
    private final boolean terminal;

    public HostFile(FileChannel channel, Path host, String guestPath, int statusFlags, boolean regular) {
        this(channel, host, guestPath, statusFlags, regular, false);
    }

    /** {@code terminal}: the host's controlling terminal (/dev/tty), for the terminal ioctls. */
    public HostFile(FileChannel channel, Path host, String guestPath, int statusFlags, boolean regular, boolean terminal) {
        super(statusFlags);
        this.channel = channel;
        this.host = host;
        this.guestPath = guestPath;
        this.regular = regular;
        this.terminal = terminal;
    }

    @Override
    public boolean isTerminal() {
        return terminal;
    }

    @Override
    public boolean shortReads() {
        return terminal;
    }

    public FileChannel channel() {
        return channel;
    }

    public Path hostPath() {
        return host;
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public boolean isRegular() {
        return regular;
    }

    @Override
    public synchronized long read(ByteBuffer dst, Waiter waiter, boolean block) {
        if (!readable()) {
            return -Errno.EBADF;
        }
        try {
            int n = channel.read(dst);
            return n < 0 ? 0 : n;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public synchronized long write(ByteBuffer src, Waiter waiter) {
        if (!writable()) {
            return -Errno.EBADF;
        }
        try {
            if ((statusFlags & O_APPEND) != 0 && regular) {
                channel.position(channel.size());
            }
            long total = 0;
            while (src.hasRemaining()) {
                total += channel.write(src);
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long pread(ByteBuffer dst, long position) {
        if (!readable()) {
            return -Errno.EBADF;
        }
        if (!regular) {
            return -Errno.ESPIPE;
        }
        try {
            int n = channel.read(dst, position);
            return n < 0 ? 0 : n;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long pwrite(ByteBuffer src, long position) {
        if (!writable()) {
            return -Errno.EBADF;
        }
        if (!regular) {
            return -Errno.ESPIPE;
        }
        try {
            long total = 0;
            while (src.hasRemaining()) {
                total += channel.write(src, position + total);
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        if (!regular) {
            return -Errno.ESPIPE;
        }
        try {
            long size = channel.size();
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> channel.position();
                case SEEK_END -> size;
                case SEEK_DATA -> {
                    if (offset >= size) {
                        yield -1;
                    }
                    yield 0;
                }
                case SEEK_HOLE -> {
                    if (offset >= size) {
                        yield -1;
                    }
                    offset = 0;
                    yield size;
                }
                default -> Long.MIN_VALUE;
            };
            if (base == Long.MIN_VALUE) {
                return -Errno.EINVAL;
            }
            if (base == -1) {
                return -Errno.ENXIO;
            }
            long pos = base + offset;
            if (pos < 0) {
                return -Errno.EINVAL;
            }
            channel.position(pos);
            return pos;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long truncate(long length) {
        if (!writable()) {
            return -Errno.EINVAL;
        }
        try {
            long size = channel.size();
            if (length < size) {
                channel.truncate(length);
            } else if (length > size) {
                channel.write(ByteBuffer.wrap(new byte[1]), length - 1);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long sync() {
        try {
            channel.force(true);
            return 0;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public FileStat stat() throws IOException {
        return HostStat.of(host, true);
    }

    @Override
    protected void closeResource() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing the guest could do about it; Linux's close(2) also releases the fd regardless.
        }
    }
}
