package hv.plugin.virtio.blk;

import hv.api.device.GuestMemory;
import hv.api.device.GuestMemoryException;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.VirtioDeviceIds;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.VirtioFeatures;
import hv.devices.virtio.Virtqueue;
import hv.devices.virtio.WorkerBackedDevice;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The block device (virtio 1.2 section 5.2). A request is a 16-byte header
 * ({@code le32 type, le32 reserved, le64 sector}) in device-readable memory, data, and a
 * status byte as the last device-writable byte (5.2.6). Requests are served in order on the
 * worker thread; data moves between the image and guest memory through bounds-checked slices
 * of guest RAM, with no intermediate copy.
 */
final class VirtioBlk extends WorkerBackedDevice {

    // Feature bits (5.2.3).
    static final long F_SIZE_MAX = VirtioFeatures.bit(1);
    static final long F_SEG_MAX = VirtioFeatures.bit(2);
    static final long F_RO = VirtioFeatures.bit(5);
    static final long F_BLK_SIZE = VirtioFeatures.bit(6);
    static final long F_FLUSH = VirtioFeatures.bit(9);

    // Request types and status values (5.2.6).
    static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8;
    static final byte S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    static final int HEADER = 16;
    static final int ID_BYTES = 20;

    static final int QUEUE_SIZE = 256;
    /** Largest single buffer Linux may give us (SIZE_MAX). */
    static final int SIZE_MAX = 1 << 20;
    /** Data buffers per request (SEG_MAX); header and status take the other two descriptors. */
    static final int SEG_MAX = QUEUE_SIZE - 2;
    static final int CONFIG_SIZE = 36; // through num_queues (5.2.4)

    private final DiskImage disk;
    private final byte[] serial;
    private Signal requestsAvailable;

    VirtioBlk(DiskImage disk, String serial) {
        super("io", 16);
        this.disk = disk;
        this.serial = serial.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int deviceId() {
        return VirtioDeviceIds.BLOCK;
    }

    @Override
    public long deviceFeatures() {
        return F_SIZE_MAX | F_SEG_MAX | F_BLK_SIZE | F_FLUSH | (disk.readonly() ? F_RO : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    /** struct virtio_blk_config (5.2.4), little-endian; unlisted fields read 0. */
    @Override
    public long readConfig(int offset, int size) {
        ByteBuffer cfg = ByteBuffer.allocate(CONFIG_SIZE + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        cfg.putLong(0, disk.sectors());   // capacity, in 512-byte sectors
        cfg.putInt(8, SIZE_MAX);          // size_max
        cfg.putInt(12, SEG_MAX);          // seg_max
        cfg.putInt(20, DiskImage.SECTOR); // blk_size
        return cfg.getLong(offset) & (size == 8 ? -1L : (1L << (size * 8)) - 1);
    }

    @Override
    protected void attachWorker(DeviceWorker worker) {
        this.requestsAvailable = worker.signal(this::serveRequests);
    }

    @Override
    public void activate(long negotiatedFeatures) {
        requestsAvailable.raise();
    }

    @Override
    public void queueNotified(int index) {
        requestsAvailable.raise();
    }

    private void serveRequests() {
        Virtqueue queue = virtio.queue(0);
        DescriptorChain request;
        while ((request = queue.pop()) != null) {
            queue.addUsed(request, serve(request));
        }
        queue.notifyIfNeeded();
    }

    /** Serves one request; returns the bytes written into its writable part (data + status). */
    long serve(DescriptorChain req) {
        long writable = req.writableBytes();
        if (writable == 0) {
            // No room even for a status byte: nothing can be reported, give it back empty.
            virtio.errors().report(VirtioError.BAD_REQUEST, "request without a status byte");
            return 0;
        }
        long statusAt = writable - 1;
        try {
            if (req.readableBytes() < HEADER) {
                virtio.errors().report(VirtioError.BAD_REQUEST, "request header of " + req.readableBytes() + " bytes");
                return status(req, statusAt, S_UNSUPP, 0);
            }
            int type = (int) req.readLittleEndian(0, 4);
            long sector = req.readLittleEndian(8, 8);
            return switch (type) {
                case T_IN -> read(req, sector, statusAt);
                case T_OUT -> write(req, sector, statusAt);
                case T_FLUSH -> flush(req, statusAt);
                case T_GET_ID -> getId(req, statusAt);
                default -> status(req, statusAt, S_UNSUPP, 0);
            };
        } catch (GuestMemoryException e) {
            virtio.errors().report(VirtioError.BAD_REQUEST, e.getMessage());
            return 0;
        }
    }

    private long read(DescriptorChain req, long sector, long statusAt) throws GuestMemoryException {
        long len = statusAt; // every writable byte but the status is data
        if (!inRange(sector, len)) {
            return status(req, statusAt, S_IOERR, 0);
        }
        GuestMemory mem = virtio.memory();
        long[] pos = {sector * DiskImage.SECTOR};
        try {
            req.visitWritable(0, len, (addr, n) -> {
                disk.readFully(mem.sliceForWrite(addr, n).asByteBuffer(), pos[0]);
                pos[0] += n;
            });
        } catch (IOException e) {
            ioFailed(e);
            return status(req, statusAt, S_IOERR, 0);
        }
        return status(req, statusAt, S_OK, len);
    }

    private long write(DescriptorChain req, long sector, long statusAt) throws GuestMemoryException {
        long len = req.readableBytes() - HEADER;
        if (disk.readonly() || !inRange(sector, len)) {
            return status(req, statusAt, S_IOERR, 0);
        }
        GuestMemory mem = virtio.memory();
        long[] pos = {sector * DiskImage.SECTOR};
        try {
            req.visitReadable(HEADER, len, (addr, n) -> {
                disk.writeFully(mem.sliceForRead(addr, n).asByteBuffer(), pos[0]);
                pos[0] += n;
            });
        } catch (IOException e) {
            ioFailed(e);
            return status(req, statusAt, S_IOERR, 0);
        }
        return status(req, statusAt, S_OK, 0);
    }

    private long flush(DescriptorChain req, long statusAt) throws GuestMemoryException {
        try {
            disk.flush();
        } catch (IOException e) {
            ioFailed(e);
            return status(req, statusAt, S_IOERR, 0);
        }
        return status(req, statusAt, S_OK, 0);
    }

    /** The id string: up to 20 bytes, NUL-padded (5.2.6.1: not NUL-terminated when 20 long). */
    private long getId(DescriptorChain req, long statusAt) throws GuestMemoryException {
        int n = (int) Math.min(statusAt, ID_BYTES);
        byte[] id = new byte[n];
        System.arraycopy(serial, 0, id, 0, Math.min(serial.length, n));
        req.write(0, ByteBuffer.wrap(id));
        return status(req, statusAt, S_OK, n);
    }

    /** Data length a whole number of sectors, and [sector, sector + len) on the disk (no overflow). */
    private boolean inRange(long sector, long len) {
        if (len % DiskImage.SECTOR != 0 || sector < 0 || sector > disk.sectors()) {
            return false;
        }
        return len / DiskImage.SECTOR <= disk.sectors() - sector;
    }

    private long status(DescriptorChain req, long statusAt, byte status, long dataBytes) throws GuestMemoryException {
        req.write(statusAt, ByteBuffer.wrap(new byte[]{status}));
        return dataBytes + 1;
    }

    private void ioFailed(IOException e) {
        virtio.logger().log(System.Logger.Level.WARNING, virtio.name() + ": " + disk.path() + ": " + e.getMessage());
    }

    @Override
    protected void closeBackend() {
        disk.close();
    }

    /** The disk the guest saw must be the one it gets back. */
    @Override
    public void saveState(StateWriter out) {
        out.putLong(disk.sectors());
        out.putBoolean(disk.readonly());
    }

    @Override
    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException(virtio.name() + ": unknown virtio-blk state version " + version);
        }
        long sectors = in.getLong();
        boolean ro = in.getBoolean();
        if (sectors != disk.sectors() || ro != disk.readonly()) {
            throw new StateException(virtio.name() + ": snapshot disk has " + sectors + " sectors"
                    + (ro ? " (read-only)" : "") + ", " + disk.path() + " has " + disk.sectors());
        }
    }
}
