package hv.procvm.fs;

import java.nio.ByteBuffer;

/**
 * A read-only file whose content HV generates when it is opened (HV's /proc files): read, pread
 * and lseek over a snapshot; stat says a regular file of size 0, as procfs does.
 */
public final class GeneratedFile extends OpenFile {
    private final byte[] content;
    private final String guestPath;
    private final FileStat stat;
    private long position;

    public GeneratedFile(byte[] content, String guestPath, int uid, int gid) {
        super(O_RDONLY);
        this.content = content;
        this.guestPath = guestPath;
        this.stat = statOf(uid, gid);
    }

    public static FileStat statOf(int uid, int gid) {
        return FileStat.synthetic(FileStat.S_IFREG | 0444, 0, 4026531840L, uid, gid);
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public boolean isRegular() {
        return true;
    }

    @Override
    public synchronized long read(ByteBuffer dst, Waiter waiter, boolean block) {
        long n = pread(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long pread(ByteBuffer dst, long at) {
        if (at >= content.length) {
            return 0;
        }
        int n = (int) Math.min(dst.remaining(), content.length - at);
        dst.put(content, (int) at, n);
        return n;
    }

    @Override
    public long write(ByteBuffer src, Waiter waiter) {
        return -Errno.EBADF;
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        long base = switch (whence) {
            case SEEK_SET -> 0;
            case SEEK_CUR -> position;
            case SEEK_END -> content.length;
            default -> -1;
        };
        if (base < 0 || base + offset < 0) {
            return -Errno.EINVAL;
        }
        position = base + offset;
        return position;
    }

    @Override
    public FileStat stat() {
        return stat;
    }
}
