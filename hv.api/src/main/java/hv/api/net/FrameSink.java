package hv.api.net;

import java.nio.ByteBuffer;

/** Where a backend delivers frames for the guest, and link changes. Called from backend threads. */
public interface FrameSink {

    /**
     * Offers one frame (position..limit) to the guest. The sink copies what it keeps.
     *
     * @return false when the guest cannot take it now (RX ring or queue full): the frame is
     *         dropped and counted by the sink, and the backend should stop reading until
     *         {@link NetworkBackend#resumeReceive()} is called.
     */
    boolean offer(ByteBuffer frame);

    /** The backend's link went up (peer connected) or down (peer gone). */
    void linkChanged(boolean up);
}
