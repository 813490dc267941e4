package hv.api.net;

import java.nio.ByteBuffer;

/** One open backend, owned by one NIC frontend. */
public interface NetworkBackend extends AutoCloseable {

    /**
     * Sends one frame from the guest. Never blocks: a frame that cannot be queued is dropped
     * and counted, and false returned.
     */
    boolean send(ByteBuffer frame);

    boolean linkUp();

    /** The frontend has room again after {@link FrameSink#offer} refused a frame. */
    void resumeReceive();

    /** Counters for --stats: name → value. */
    java.util.Map<String, Long> counters();

    @Override
    void close();
}
