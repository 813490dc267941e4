package hv.procvm.fs;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of HV's own standard streams passed through to the guest (fd 0, 1, 2). Writes go straight to
 * the host descriptor, unbuffered, so the guest's stdout and stderr interleave as they would
 * natively. On Linux hosts /proc/self/fd/N gives the real fstat and tells whether it is a terminal.
 * Closing it in the guest never closes HV's own descriptor.
 */
public final class StdStream extends OpenFile {
    private final int hostFd;
    private final FileChannel channel;
    private final boolean terminal;
    private final boolean seekable;

    public StdStream(int hostFd) {
        super(hostFd == 0 ? O_RDONLY : O_WRONLY);
        this.hostFd = hostFd;
        this.channel = switch (hostFd) {
            case 0 -> new FileInputStream(FileDescriptor.in).getChannel();
            case 1 -> new FileOutputStream(FileDescriptor.out).getChannel();
            default -> new FileOutputStream(FileDescriptor.err).getChannel();
        };
        this.terminal = linkTarget().startsWith("/dev/pts/") || linkTarget().startsWith("/dev/tty");
        FileStat st = null;
        try {
            st = stat();
        } catch (IOException e) {
            // Not a Linux host: treat as a character device below.
        }
        this.seekable = st != null && st.isRegular();
    }

    private String linkTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + hostFd)).toString();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public boolean isTerminal() {
        return terminal;
    }

    @Override
    public boolean isRegular() {
        return seekable;
    }

    @Override
    public boolean shortReads() {
        return !seekable;
    }

    @Override
    public long read(ByteBuffer dst, Waiter waiter, boolean block) {
        if (hostFd != 0) {
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
    public long write(ByteBuffer src, Waiter waiter) {
        if (hostFd == 0) {
            return -Errno.EBADF;
        }
        try {
            long total = 0;
            while (src.hasRemaining()) {
                total += channel.write(src);
            }
            return total;
        } catch (IOException e) {
            if ("Broken pipe".equals(e.getMessage())) {
                waiter.raiseSigpipe();
                return -Errno.EPIPE;
            }
            return -Errno.of(e);
        } catch (RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long seek(long offset, int whence) {
        if (!seekable) {
            return -Errno.ESPIPE;
        }
        try {
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> channel.position();
                case SEEK_END -> channel.size();
                default -> -1;
            };
            if (base < 0 || base + offset < 0) {
                return -Errno.EINVAL;
            }
            channel.position(base + offset);
            return base + offset;
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
    }

    @Override
    public long pread(ByteBuffer dst, long position) {
        if (!seekable || hostFd != 0) {
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
    public FileStat stat() throws IOException {
        try {
            return HostStat.of(Path.of("/proc/self/fd/" + hostFd), true);
        } catch (IOException | RuntimeException e) {
            return FileStat.synthetic(FileStat.S_IFCHR | 0620, FileStat.makedev(136, 0), 3 + hostFd, 0, 0);
        }
    }
}
