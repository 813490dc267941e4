package hv.procvm.fs;

import java.nio.ByteBuffer;

/**
 * The character devices a program under a sysroot may open although the sysroot has no /dev:
 * /dev/null, /dev/zero, /dev/full, /dev/random and /dev/urandom, emulated with Linux's semantics
 * and device numbers (Documentation/admin-guide/devices.txt: major 1).
 */
public final class DeviceFile extends OpenFile {
    public enum Kind {
        NULL(3), ZERO(5), FULL(7), RANDOM(8), URANDOM(9);

        final int minor;

        Kind(int minor) {
            this.minor = minor;
        }
    }

    private final Kind kind;
    private final String guestPath;
    private final int uid;
    private final int gid;

    public DeviceFile(Kind kind, String guestPath, int statusFlags, int uid, int gid) {
        super(statusFlags);
        this.kind = kind;
        this.guestPath = guestPath;
        this.uid = uid;
        this.gid = gid;
    }

    public static FileStat statOf(Kind kind) {
        return FileStat.synthetic(FileStat.S_IFCHR | 0666, FileStat.makedev(1, kind.minor), 1000 + kind.minor, 0, 0);
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public long read(ByteBuffer dst, Waiter waiter, boolean block) {
        if (!readable()) {
            return -Errno.EBADF;
        }
        int n = dst.remaining();
        switch (kind) {
            case NULL -> {
                return 0;
            }
            case RANDOM, URANDOM -> {
                byte[] b = new byte[n];
                HostRandom.fill(b);
                dst.put(b);
            }
            default -> {
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
            }
        }
        return n;
    }

    @Override
    public long write(ByteBuffer src, Waiter waiter) {
        if (!writable()) {
            return -Errno.EBADF;
        }
        if (kind == Kind.FULL) {
            return -Errno.ENOSPC;
        }
        int n = src.remaining();
        src.position(src.limit());
        return n;
    }

    @Override
    public long seek(long offset, int whence) {
        return 0;
    }

    @Override
    public FileStat stat() {
        FileStat s = statOf(kind);
        return new FileStat(s.dev(), s.ino(), s.mode(), s.nlink(), uid, gid, s.rdev(), 0, 4096, 0, s.atimeSec(),
                s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(), s.ctimeNsec());
    }
}
