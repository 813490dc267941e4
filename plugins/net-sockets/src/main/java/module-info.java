/**
 * NIC backends over host sockets, on Netty: {@code stream} (TCP, QEMU's 4-byte big-endian length
 * framing), {@code dgram} (UDP, one frame per datagram, as QEMU's {@code -netdev dgram}) and
 * {@code switch} (a port of {@code hv switch}). Sees only hv.api and Netty, which the host layer
 * provides; never guest memory (frames reach the NIC frontend through {@link hv.api.net.FrameSink}).
 */
module hv.plugin.net.sockets {
    requires hv.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;

    provides hv.api.net.NetworkBackendProvider with
            hv.plugin.net.sockets.StreamBackendProvider,
            hv.plugin.net.sockets.DgramBackendProvider,
            hv.plugin.net.sockets.SwitchBackendProvider;
}
