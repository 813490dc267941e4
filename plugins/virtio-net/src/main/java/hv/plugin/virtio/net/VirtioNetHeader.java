package hv.plugin.virtio.net;

/**
 * struct virtio_net_hdr (virtio 1.2 section 5.1.6): 12 bytes before every frame in both
 * directions. With VIRTIO_F_VERSION_1 it always includes num_buffers, whatever MRG_RXBUF says.
 */
final class VirtioNetHeader {
    static final int SIZE = 12;

    static final int OFF_FLAGS = 0;
    static final int OFF_GSO_TYPE = 1;
    static final int OFF_CSUM_START = 6;
    static final int OFF_CSUM_OFFSET = 8;
    static final int OFF_NUM_BUFFERS = 10;

    /** flags: the driver left the checksum to the device (needs VIRTIO_NET_F_CSUM). */
    static final int F_NEEDS_CSUM = 1;
    /** flags: the device checked the transport checksum (needs VIRTIO_NET_F_GUEST_CSUM). */
    static final int F_DATA_VALID = 2;
    /** gso_type: no segmentation offload. */
    static final int GSO_NONE = 0;

    private VirtioNetHeader() {
    }
}
