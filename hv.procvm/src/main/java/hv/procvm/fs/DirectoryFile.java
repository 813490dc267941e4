package hv.procvm.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory: the anchor of *at() calls and the source of getdents64. The listing is a
 * snapshot taken at the first getdents64 (and again after a rewind), with "." and ".." first and
 * the host's own order after them; d_off is the index of the next entry, so lseek to a d_off
 * resumes there (Linux getdents64(2), struct linux_dirent64).
 */
public final class DirectoryFile extends OpenFile {
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10,
            DT_SOCK = 12;

    private record Entry(long ino, int type, byte[] name) {
    }

    private final Path host;
    private final Path parent;
    private final String guestPath;
    private List<Entry> entries;
    private int index;

    /**
     * @param parent the host directory that ".." names (the directory itself at the root of a sysroot)
     */
    public DirectoryFile(Path host, Path parent, String guestPath, int statusFlags) {
        super(statusFlags);
        this.host = host;
        this.parent = parent;
        this.guestPath = guestPath;
    }

    public Path hostPath() {
        return host;
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public FileStat stat() throws IOException {
        return HostStat.of(host, true);
    }

    @Override
    public long read(ByteBuffer dst, Waiter waiter, boolean block) {
        return -Errno.EISDIR;
    }

    @Override
    public long write(ByteBuffer src, Waiter waiter) {
        return -Errno.EBADF;
    }

    @Override
    public synchronized long seek(long offset, int whence) {
        if (whence == SEEK_SET && offset >= 0) {
            if (offset == 0) {
                entries = null;
            }
            index = (int) Math.min(offset, Integer.MAX_VALUE);
            return offset;
        }
        if (whence == SEEK_CUR && offset == 0) {
            return index;
        }
        return -Errno.EINVAL;
    }

    static int typeOf(int mode) {
        return switch (mode & FileStat.S_IFMT) {
            case FileStat.S_IFDIR -> DT_DIR;
            case FileStat.S_IFREG -> DT_REG;
            case FileStat.S_IFLNK -> DT_LNK;
            case FileStat.S_IFCHR -> DT_CHR;
            case FileStat.S_IFBLK -> DT_BLK;
            case FileStat.S_IFIFO -> DT_FIFO;
            case FileStat.S_IFSOCK -> DT_SOCK;
            default -> DT_UNKNOWN;
        };
    }

    private List<Entry> snapshot() throws IOException {
        List<Entry> list = new ArrayList<>();
        list.add(new Entry(HostStat.of(host, true).ino(), DT_DIR, ".".getBytes(StandardCharsets.UTF_8)));
        list.add(new Entry(HostStat.of(parent, true).ino(), DT_DIR, "..".getBytes(StandardCharsets.UTF_8)));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(host)) {
            for (Path p : ds) {
                long ino = 0;
                int type = DT_UNKNOWN;
                try {
                    FileStat st = HostStat.of(p, false);
                    ino = st.ino();
                    type = typeOf(st.mode());
                } catch (IOException e) {
                    // Vanished meanwhile: still listed, as readdir would have.
                }
                list.add(new Entry(ino, type, p.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return list;
    }

    /** Fills {@code out} (little-endian, its capacity = the guest's count) with linux_dirent64 records. */
    public synchronized long getdents(ByteBuffer out) {
        try {
            if (entries == null) {
                entries = snapshot();
            }
        } catch (IOException | RuntimeException e) {
            return -Errno.of(e);
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        int written = 0;
        while (index < entries.size()) {
            Entry e = entries.get(index);
            int reclen = (19 + e.name().length + 1 + 7) & ~7;
            if (out.remaining() < reclen) {
                if (written == 0) {
                    return -Errno.EINVAL;
                }
                break;
            }
            int start = out.position();
            out.putLong(e.ino()).putLong(index + 1).putShort((short) reclen).put((byte) e.type()).put(e.name());
            while (out.position() < start + reclen) {
                out.put((byte) 0);
            }
            written += reclen;
            index++;
        }
        return written;
    }
}
