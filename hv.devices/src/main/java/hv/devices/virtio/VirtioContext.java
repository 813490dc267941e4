package hv.devices.virtio;

import hv.api.device.GuestMemory;

/** What the transport offers the device it carries ({@link VirtioDevice#attach}). */
public interface VirtioContext {

    /** Queue {@code index} (0-based, below {@link VirtioDevice#queueCount()}). */
    Virtqueue queue(int index);

    /** The features the driver accepted (valid once FEATURES_OK was set). */
    long negotiatedFeatures();

    default boolean hasFeature(long featureMask) {
        return (negotiatedFeatures() & featureMask) == featureMask;
    }

    /** The configuration space changed: bumps the generation and interrupts the driver (4.2.2.1). */
    void configChanged();

    /**
     * Something went wrong that only a device reset can cure: sets DEVICE_NEEDS_RESET and tells
     * the driver (2.1.2). Counted under {@code kind}, logged once.
     */
    void needsReset(VirtioError kind, String detail);

    /** Counters for guest misbehaviour the device itself detects (e.g. malformed requests). */
    VirtioErrors errors();

    GuestMemory memory();

    /** The instance name (e.g. {@code virtio-blk0}), for thread names and logs. */
    String name();

    System.Logger logger();
}
