package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;

/** Frame size bounds shared by every backend. */
final class FrameLimits {
    /** An Ethernet header: anything shorter is not a frame. */
    static final int MIN_FRAME = 14;
    /** The default largest frame: a 64 KiB IP packet (the largest a guest without TSO builds) plus the Ethernet header. */
    static final int DEFAULT_MAX_FRAME = 65535 + 14;
    /**
     * A length prefix above this is not a large frame but a broken or hostile stream: QEMU never
     * sends more than its 69632-byte buffer, so anything past 256 KiB means the two ends
     * disagree about the framing and the connection is closed.
     */
    static final int MAX_SANE_LENGTH = 256 * 1024;

    private FrameLimits() {
    }

    static int maxFrame(String backend, DeviceOptions options) throws DeviceConfigException {
        long v = options.number("max-frame", DEFAULT_MAX_FRAME);
        if (v < 64 || v > MAX_SANE_LENGTH) {
            throw new DeviceConfigException(backend + ": max-frame must be 64.." + MAX_SANE_LENGTH + ", not " + v);
        }
        return (int) v;
    }
}
