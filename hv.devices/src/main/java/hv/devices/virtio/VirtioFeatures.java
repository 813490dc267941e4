package hv.devices.virtio;

/** Reserved (device-independent) feature bits, virtio 1.2 section 6. */
public final class VirtioFeatures {
    /** Indirect descriptors (2.7.5.3). */
    public static final long RING_INDIRECT_DESC = 1L << 28;
    /** used_event / avail_event notification suppression (2.7.7, 2.7.10). */
    public static final long RING_EVENT_IDX = 1L << 29;
    /** Compliance with virtio 1.x, as opposed to legacy. */
    public static final long VERSION_1 = 1L << 32;

    /** What every HV transport offers on top of the device's own features. */
    public static final long TRANSPORT_OFFERED = VERSION_1 | RING_INDIRECT_DESC | RING_EVENT_IDX;

    private VirtioFeatures() {
    }

    public static long bit(int n) {
        return 1L << n;
    }
}
