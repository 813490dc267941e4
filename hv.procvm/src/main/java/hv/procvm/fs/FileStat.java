package hv.procvm.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What stat(2) reports about a file, with the Linux riscv64 encodings of {@code struct stat}
 * (asm-generic/stat.h, 128 bytes) and {@code struct statx} (linux/stat.h, 256 bytes).
 */
public record FileStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size, int blksize,
        long blocks, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec, long ctimeSec, int ctimeNsec) {

    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegular() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** A character device, pipe or similar synthetic file owned by the current user. */
    public static FileStat synthetic(int mode, long rdev, long ino, int uid, int gid) {
        long now = System.currentTimeMillis();
        return new FileStat(5, ino, mode, 1, uid, gid, rdev, 0, 4096, 0, now / 1000, (int) (now % 1000) * 1_000_000,
                now / 1000, (int) (now % 1000) * 1_000_000, now / 1000, (int) (now % 1000) * 1_000_000);
    }

    /** struct stat of asm-generic (what newfstatat/fstat fill). */
    public byte[] toStat() {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, dev).putLong(8, ino).putInt(16, mode).putInt(20, (int) nlink).putInt(24, uid).putInt(28, gid)
                .putLong(32, rdev).putLong(48, size).putInt(56, blksize).putLong(64, blocks)
                .putLong(72, atimeSec).putLong(80, atimeNsec).putLong(88, mtimeSec).putLong(96, mtimeNsec)
                .putLong(104, ctimeSec).putLong(112, ctimeNsec);
        return b.array();
    }

    /** STATX_BASIC_STATS: every field of the classic stat. */
    public static final int STATX_BASIC_STATS = 0x7ff;

    /** struct statx (linux/stat.h). */
    public byte[] toStatx() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, STATX_BASIC_STATS).putInt(4, blksize).putLong(8, 0).putInt(16, (int) nlink).putInt(20, uid)
                .putInt(24, gid).putShort(28, (short) mode).putLong(32, ino).putLong(40, size).putLong(48, blocks)
                .putLong(56, 0);
        putTs(b, 64, atimeSec, atimeNsec);
        putTs(b, 80, ctimeSec, ctimeNsec); // btime: unknown, report ctime (mask says not valid)
        putTs(b, 96, ctimeSec, ctimeNsec);
        putTs(b, 112, mtimeSec, mtimeNsec);
        b.putInt(128, major(rdev)).putInt(132, minor(rdev)).putInt(136, major(dev)).putInt(140, minor(dev));
        return b.array();
    }

    private static void putTs(ByteBuffer b, int at, long sec, int nsec) {
        b.putLong(at, sec).putInt(at + 8, nsec);
    }

    /** glibc's gnu_dev_major/minor encodings of a dev_t. */
    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
