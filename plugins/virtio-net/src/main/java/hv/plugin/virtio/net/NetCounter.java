package hv.plugin.virtio.net;

/** What the NIC counts; the lower-case names are what {@link VirtioNetDevice#counters()} reports. */
enum NetCounter {
    /** Frames placed in the guest's receive buffers. */
    RX_FRAMES,
    RX_BYTES,
    /** Frames that arrived while no driver was running the NIC: dropped, as by a NIC without a driver. */
    RX_DROPPED_NO_DRIVER,
    /** Frames refused because the queue towards the guest was full (the backend is paused meanwhile). */
    RX_DROPPED_QUEUE_FULL,
    /** Frames larger than the guest's receive buffers can take. */
    RX_DROPPED_TOO_BIG,
    /** Frames spread over several receive buffers (VIRTIO_NET_F_MRG_RXBUF). */
    RX_MERGED_FRAMES,
    /** Receive buffers too small for any frame (a driver bug): given back to the guest empty. */
    RX_BAD_BUFFERS,
    /**
     * Pauses (snapshots) at which held receive chains could not be given back to the ring; a
     * snapshot taken then loses them (docs/snapshot-migration.md, Limits).
     */
    RX_CHAINS_KEPT_AT_PAUSE,
    /** Frames the guest transmitted and the backend accepted. */
    TX_FRAMES,
    TX_BYTES,
    /** Guest frames the backend refused (link down or a slow peer). */
    TX_DROPPED,
    /** Guest frames whose checksum the device completed (NEEDS_CSUM). */
    TX_CHECKSUMMED,
    /** Guest frames with a header asking for offloads that were not negotiated. */
    TX_BAD_HEADER,
    /** Guest frames shorter than an Ethernet header or longer than the largest frame. */
    TX_BAD_LENGTH,
    /** Link changes reported to the guest. */
    LINK_CHANGES;

    final String key = name().toLowerCase(java.util.Locale.ROOT);
}
