package hv.devices.virtio;

/** Kinds of guest misbehaviour a virtio device detects; each is counted and logged once. */
public enum VirtioError {
    DESC_OUT_OF_RAM("descriptor buffer outside guest RAM"),
    DESC_ADDRESS_OVERFLOW("descriptor address + length wraps around"),
    CHAIN_TOO_LONG("descriptor chain longer than its table (a loop)"),
    BAD_NEXT_INDEX("descriptor next index beyond the table"),
    READABLE_AFTER_WRITABLE("device-readable descriptor after a device-writable one"),
    INDIRECT_NOT_NEGOTIATED("indirect descriptor without VIRTIO_F_RING_INDIRECT_DESC"),
    INDIRECT_NESTED("indirect descriptor inside an indirect table"),
    INDIRECT_WITH_NEXT("indirect descriptor with the NEXT flag"),
    INDIRECT_MISALIGNED("indirect table not 16-byte aligned"),
    INDIRECT_BAD_LENGTH("indirect table length zero or not a multiple of 16"),
    INDIRECT_OVERSIZED("indirect table larger than the queue"),
    BAD_HEAD_INDEX("available ring names a descriptor beyond the queue"),
    AVAIL_INDEX_JUMP("available index moved by more than the queue size"),
    RING_ACCESS("ring memory became inaccessible"),
    QUEUE_SIZE_INVALID("queue size zero, not a power of two, or above the maximum"),
    QUEUE_RING_INVALID("queue ring misaligned or outside guest RAM"),
    QUEUE_CONFIG_WHILE_ENABLED("queue configuration written while the queue is enabled"),
    FEATURES_REJECTED("driver accepted features the device did not offer, or not VERSION_1"),
    STATUS_INVALID("invalid device status transition"),
    BAD_REQUEST("malformed device request"),
    DEVICE_FAILURE("device code failed");

    private final String description;

    VirtioError(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
