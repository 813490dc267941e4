package hv.procvm.kernel;

import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * The parsed ELF files of recent execve calls: a shell runs the same program (busybox, ld.so) over
 * and over, and reading and parsing its megabytes each time was a visible share of a pipeline's
 * cost. An entry is used only while the host file keeps its identity, size and modification time
 * (a rebuilt or replaced program is read again). Bounded: the least recently used goes first.
 */
final class ImageCache {
    static final int MAX_ENTRIES = 8;

    private record Key(Object fileKey, long size, long mtimeNanos) {
    }

    private record Cached(Key key, ElfFile elf) {
    }

    /** In access order: the first entry is the least recently used. */
    private final LinkedHashMap<Path, Cached> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long hits;
    private long misses;

    /** The parsed file at {@code host}, from the cache when the file is unchanged. */
    ElfFile load(Path host) throws IOException, ElfException {
        BasicFileAttributes a = Files.readAttributes(host, BasicFileAttributes.class);
        Key key = new Key(a.fileKey(), a.size(), a.lastModifiedTime().toInstant().getEpochSecond() * 1_000_000_000L
                + a.lastModifiedTime().toInstant().getNano());
        synchronized (this) {
            Cached e = entries.get(host);
            if (e != null && Objects.equals(e.key(), key)) {
                hits++;
                return e.elf();
            }
        }
        ElfFile elf = ElfFile.parse(Files.readAllBytes(host));
        synchronized (this) {
            misses++;
            if (elf.bytes().length == key.size()) { // not being written while we read it
                entries.put(host, new Cached(key, elf));
                if (entries.size() > MAX_ENTRIES) {
                    entries.pollFirstEntry();
                }
            }
        }
        return elf;
    }

    synchronized String stats() {
        return "exec images: cache hits=" + hits + " misses=" + misses;
    }
}
