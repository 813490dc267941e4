package hv.devices.virtio;

import hv.api.device.GuestMemoryException;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A test virtio device (id 0x7e57): one queue; each request's readable bytes are copied into
 * its writable bytes. Serves either synchronously on the notifying thread or on a
 * {@link DeviceWorker} (the way real devices do), and checks every chain it gets against the
 * validation promises of {@link Virtqueue}.
 */
final class EchoDevice implements VirtioDevice {

    static final int QUEUE_MAX = 16;

    private final boolean async;
    private VirtioContext ctx;
    private DeviceWorker worker;
    private Signal kick;
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile boolean throwOnNotify;
    volatile int served;
    volatile int configValue = 0x1234_5678;
    volatile long activatedWith = -1;
    Consumer<DescriptorChain> inspector = c -> { };

    EchoDevice(boolean async) {
        this.async = async;
    }

    /** The transport's context, for tests that play the device side themselves. */
    VirtioContext context() {
        return ctx;
    }

    @Override
    public int deviceId() {
        return 0x7e57;
    }

    @Override
    public long deviceFeatures() {
        return 1L << 3;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_MAX;
    }

    @Override
    public int configSize() {
        return 8;
    }

    @Override
    public long readConfig(int offset, int size) {
        long v = ((long) configValue << 32) | 0xcafe_f00dL;
        return v >>> (offset * 8);
    }

    @Override
    public void writeConfig(int offset, int size, long value) {
        if (offset == 4 && size == 4) {
            configValue = (int) value;
            ctx.configChanged();
        }
    }

    @Override
    public void attach(VirtioContext context) {
        this.ctx = context;
        if (async) {
            worker = new DeviceWorker("echo-io", 64, context.logger());
            kick = worker.signal(this::serve);
            worker.start();
        }
    }

    @Override
    public void activate(long negotiatedFeatures) {
        activatedWith = negotiatedFeatures;
    }

    @Override
    public void queueNotified(int index) {
        if (throwOnNotify) {
            throw new IllegalStateException("device bug");
        }
        if (async) {
            kick.raise();
        } else {
            serve();
        }
    }

    private void serve() {
        Virtqueue q = ctx.queue(0);
        DescriptorChain c;
        while ((c = q.pop()) != null) {
            check(c);
            inspector.accept(c);
            try {
                int n = (int) Math.min(c.readableBytes(), c.writableBytes());
                ByteBuffer b = ByteBuffer.allocate(n);
                c.read(0, b);
                b.flip();
                int w = c.write(0, b);
                q.addUsed(c, w);
                served++;
            } catch (GuestMemoryException e) {
                violations.add("memory exception on a validated chain: " + e.getMessage());
                q.addUsed(c, 0);
            }
        }
        q.notifyIfNeeded();
    }

    /** The promises of Virtqueue.pop: every buffer in RAM, no wrap, readable before writable. */
    private void check(DescriptorChain c) {
        long readable = 0;
        for (int i = 0; i < c.readableSegmentCount(); i++) {
            readable += c.length(i);
        }
        if (readable != c.readableBytes()) {
            violations.add("readable segments are not the chain's first ones (readable after writable)");
        }
        boolean writable = false;
        for (int i = 0; i < c.segmentCount(); i++) {
            long a = c.address(i);
            long l = c.length(i);
            if (!ctx.memory().isRam(a, l) || Long.compareUnsigned(a + l - 1, a) < 0) {
                violations.add(String.format("segment %d at 0x%x+0x%x escapes RAM", i, a, l));
            }
            if (c.isWritable(i)) {
                writable = true;
            } else if (writable) {
                violations.add("readable after writable");
            }
        }
    }

    @Override
    public void reset(Runnable done) {
        if (async) {
            if (!worker.post(done)) {
                done.run();
            }
        } else {
            done.run();
        }
    }

    @Override
    public void saveState(StateWriter out) {
        out.putInt(configValue);
    }

    @Override
    public void restoreState(StateReader in, int version) throws StateException {
        configValue = in.getInt();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
    }
}
