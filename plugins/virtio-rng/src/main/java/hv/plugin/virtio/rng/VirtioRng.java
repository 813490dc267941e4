package hv.plugin.virtio.rng;

import hv.api.device.GuestMemoryException;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.VirtioDeviceIds;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.Virtqueue;
import hv.devices.virtio.WorkerBackedDevice;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The entropy device: no features, no configuration space, one queue. A notify (vCPU thread)
 * only raises a signal; the worker thread pops requests, fills their writable buffers with
 * random bytes and completes them, so SecureRandom never runs on a vCPU.
 */
final class VirtioRng extends WorkerBackedDevice {

    /** At most this much entropy per request: a huge buffer must not stall the worker. */
    static final int MAX_PER_REQUEST = 64 * 1024;
    static final int QUEUE_SIZE = 64;

    private final SecureRandom random = new SecureRandom();
    private Signal requestsAvailable;
    private final byte[] chunk = new byte[4096]; // worker thread only

    @Override
    public int deviceId() {
        return VirtioDeviceIds.ENTROPY;
    }

    @Override
    public long deviceFeatures() {
        return 0; // 5.4.3: no feature bits
    }

    @Override
    public int queueCount() {
        return 1; // 5.4.2: requestq
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return 0; // 5.4.4: no configuration space
    }

    @Override
    public long readConfig(int offset, int size) {
        return 0;
    }

    VirtioRng() {
        super("rng", 16);
    }

    @Override
    protected void attachWorker(DeviceWorker worker) {
        this.requestsAvailable = worker.signal(this::serveRequests);
    }

    @Override
    public void activate(long negotiatedFeatures) {
        requestsAvailable.raise(); // the driver may have queued buffers before DRIVER_OK
    }

    @Override
    public void queueNotified(int index) {
        requestsAvailable.raise(); // vCPU thread: hand off, never block
    }

    /** Worker thread: serve every available request, then interrupt the driver if it wants. */
    private void serveRequests() {
        Virtqueue queue = virtio.queue(0);
        DescriptorChain request;
        while ((request = queue.pop()) != null) {
            queue.addUsed(request, fill(request));
        }
        queue.notifyIfNeeded();
    }

    private long fill(DescriptorChain request) {
        long want = Math.min(request.writableBytes(), MAX_PER_REQUEST);
        if (want == 0) {
            virtio.errors().report(VirtioError.BAD_REQUEST, "entropy request without a writable buffer");
            return 0;
        }
        long done = 0;
        try {
            while (done < want) {
                int n = (int) Math.min(chunk.length, want - done);
                random.nextBytes(chunk);
                done += request.write(done, ByteBuffer.wrap(chunk, 0, n));
            }
        } catch (GuestMemoryException e) {
            virtio.errors().report(VirtioError.BAD_REQUEST, e.getMessage());
        }
        return done;
    }
}
