package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.OptionSpec;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.api.net.NetworkBackendProvider;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend in test code: records what the NIC sends, and lets the test inject frames and link changes. */
final class FakeBackend implements NetworkBackend {
    final FrameSink sink;
    final DeviceOptions options;
    final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
    final AtomicInteger resumes = new AtomicInteger();
    volatile boolean link = true;
    volatile boolean acceptSends = true;
    volatile boolean closed;

    FakeBackend(DeviceOptions options, FrameSink sink) {
        this.options = options;
        this.sink = sink;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        if (!acceptSends) {
            return false;
        }
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        sent.add(copy);
        return true;
    }

    @Override
    public boolean linkUp() {
        return link;
    }

    @Override
    public void resumeReceive() {
        resumes.incrementAndGet();
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of();
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The provider, type {@code fake}; remembers the last backend it opened. */
    static final class Provider implements NetworkBackendProvider {
        volatile FakeBackend last;

        @Override
        public String type() {
            return "fake";
        }

        @Override
        public String description() {
            return "test backend";
        }

        @Override
        public List<OptionSpec> options() {
            return List.of(OptionSpec.optional("peer", "a backend option"));
        }

        @Override
        public NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException {
            options.checkKnown(options());
            last = new FakeBackend(options, sink);
            return last;
        }
    }
}
