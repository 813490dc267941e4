package hv.api.net;

import java.nio.ByteBuffer;

/** One open backend, owned by one NIC frontend. */
public interface NetworkBackend extends AutoCloseable {

    /**
     * Sends one frame from the guest (position..limit). Never blocks: a frame that cannot be
     * queued (link down, peer too slow) is dropped and counted, and false returned. The backend
     * copies what it keeps before returning, so the caller may reuse {@code frame}. Callable from
     * any thread.
     */
    boolean send(ByteBuffer frame);

    boolean linkUp();

    /**
     * The frontend has room again after {@link FrameSink#offer} refused a frame. Callable from any
     * thread; the backend switches reading back on asynchronously.
     */
    void resumeReceive();

    /** Counters for --stats: name → value. */
    java.util.Map<String, Long> counters();

    @Override
    void close();
}
