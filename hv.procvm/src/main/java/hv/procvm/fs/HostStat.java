package hv.procvm.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * stat of a host file through java.nio's "unix" attribute view. The view has no st_blocks: it
 * is estimated as the size rounded up to 4 KiB blocks (what ext4 reports for non-sparse files;
 * short symlinks live in the inode and take none).
 */
public final class HostStat {
    private static final String ATTRS = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,lastModifiedTime,lastAccessTime,ctime";

    private HostStat() {
    }

    public static FileStat of(Path p, boolean follow) throws IOException {
        Map<String, Object> a = follow ? Files.readAttributes(p, ATTRS) : Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        long size = (Long) a.get("size");
        int type = mode & FileStat.S_IFMT;
        long blocks;
        if (type == FileStat.S_IFLNK) {
            blocks = size < 60 ? 0 : 8;
        } else if (type == FileStat.S_IFREG || type == FileStat.S_IFDIR) {
            blocks = ((size + 4095) / 4096) * 8;
        } else {
            blocks = 0;
        }
        Instant at = ((FileTime) a.get("lastAccessTime")).toInstant();
        Instant mt = ((FileTime) a.get("lastModifiedTime")).toInstant();
        Instant ct = ((FileTime) a.get("ctime")).toInstant();
        return new FileStat((Long) a.get("dev"), (Long) a.get("ino"), mode, ((Number) a.get("nlink")).longValue(),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), size, 4096, blocks,
                at.getEpochSecond(), at.getNano(), mt.getEpochSecond(), mt.getNano(), ct.getEpochSecond(), ct.getNano());
    }
}
