package hv.plugin.virtio.blk;

import hv.api.device.DeviceConfigException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open raw image: a file channel, locked (shared when read-only, exclusive otherwise) so two
 * VMs cannot write the same disk, and its size in whole 512-byte sectors.
 */
final class DiskImage implements AutoCloseable {

    static final int SECTOR = 512;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean readonly;
    private final long sectors;

    private DiskImage(Path path, FileChannel channel, FileLock lock, boolean readonly, long sectors) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.readonly = readonly;
        this.sectors = sectors;
    }

    static DiskImage open(Path path, boolean readonly) throws DeviceConfigException {
        if (!Files.isRegularFile(path)) {
            throw new DeviceConfigException("virtio-blk: " + path + ": no such disk image");
        }
        FileChannel ch = null;
        try {
            ch = readonly ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = ch.size();
            if (size < SECTOR) {
                throw new DeviceConfigException("virtio-blk: " + path + ": image is smaller than one 512-byte sector");
            }
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, readonly);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new DeviceConfigException("virtio-blk: " + path + ": image is in use (locked by another VM or device)");
            }
            return new DiskImage(path, ch, lock, readonly, size / SECTOR);
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw new DeviceConfigException("virtio-blk: " + path + ": no such disk image");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DeviceConfigException("virtio-blk: " + path + ": cannot open" + (readonly ? "" : " for writing")
                    + ": " + e.getMessage());
        } catch (DeviceConfigException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    Path path() {
        return path;
    }

    boolean readonly() {
        return readonly;
    }

    long sectors() {
        return sectors;
    }

    long bytes() {
        return sectors * SECTOR;
    }

    /** Reads exactly {@code dst.remaining()} bytes at {@code position}. */
    void readFully(ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("image shrank under the VM");
            }
            pos += n;
        }
    }

    void writeFully(ByteBuffer src, long position) throws IOException {
        long pos = position;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
    }

    void flush() throws IOException {
        if (!readonly) {
            channel.force(false);
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel close below releases it anyway
        }
        closeQuietly(channel);
    }
}
