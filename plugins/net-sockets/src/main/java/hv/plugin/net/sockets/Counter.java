package hv.plugin.net.sockets;

/** The events a socket backend counts; their lower-case names are what {@code counters()} reports. */
enum Counter {
    /** Frames handed to the frontend and accepted by it. */
    RX_FRAMES,
    RX_BYTES,
    /** Frames the frontend refused (its queue was full): dropped, and reading paused. */
    RX_REFUSED,
    /** Frames above max-frame: skipped without buffering, the connection stays up. */
    RX_OVERSIZE,
    /** Frames shorter than an Ethernet header (14 bytes): dropped. */
    RX_RUNT,
    /** Length prefixes of 0 or beyond any sane frame: the stream is garbage, the connection is closed. */
    RX_BAD_LENGTH,
    /** Datagrams from an address other than the configured remote: dropped. */
    RX_FOREIGN,
    /** Times reading was switched off because the frontend was full. */
    RX_PAUSES,
    TX_FRAMES,
    TX_BYTES,
    /** Guest frames dropped because the peer was too slow (transmit budget exhausted). */
    TX_DROPPED,
    /** Guest frames dropped because no peer was connected. */
    TX_LINK_DOWN,
    /** Guest frames of an impossible size (below 14 bytes or above max-frame): dropped. */
    TX_INVALID,
    CONNECTS,
    DISCONNECTS,
    /** Connection attempts that failed (the connecting side retries with backoff). */
    CONNECT_FAILURES,
    /** Peers refused by a listening side that already had one. */
    PEERS_REJECTED;

    final String key = name().toLowerCase(java.util.Locale.ROOT);
}
