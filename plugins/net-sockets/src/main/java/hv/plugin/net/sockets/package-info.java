/**
 * Socket backends for NIC frontends, on Netty event loops.
 *
 * <p>What lives here: the providers ({@code stream}, {@code dgram}, {@code switch}), the
 * length-prefix framing shared with QEMU's {@code -netdev stream}/{@code socket}
 * ({@link hv.plugin.net.sockets.StreamFrameDecoder}), the non-blocking transmit path
 * ({@link hv.plugin.net.sockets.Transmitter}) and the per-backend counters.
 *
 * <p>Threading: every socket event runs on one shared Netty event loop
 * ({@link hv.plugin.net.sockets.SharedEventLoop}). Frames go to the frontend's
 * {@link hv.api.net.FrameSink} from that loop; the frontend's {@code send} and
 * {@code resumeReceive} may come from any thread and only enqueue work for the loop, so a vCPU
 * or device thread never blocks on the network.
 *
 * <p>What may come in: hv.api and Netty. Never guest memory, never JCTools (not in a plugin
 * layer), never HV internals. Memory is bounded everywhere: a paused reader holds at most the
 * buffers of one socket read, and the transmit path drops (and counts) beyond a byte budget.
 */
package hv.plugin.net.sockets;
