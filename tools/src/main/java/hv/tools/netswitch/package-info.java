/**
 * {@code hv switch}: a virtual L2 learning switch for VMs, on Netty.
 *
 * <p>What lives here: the forwarding core ({@link hv.tools.netswitch.SwitchCore}: learning,
 * ageing, flooding, per-port counters), its MAC table ({@link hv.tools.netswitch.MacTable}),
 * the stream framing of ports ({@link hv.tools.netswitch.PortFrameHandler}: QEMU's 4-byte
 * big-endian length + frame, the same as the {@code stream} and {@code switch} NIC backends),
 * and the server that accepts ports ({@link hv.tools.netswitch.SwitchServer}).
 *
 * <p>Threading: the whole switch runs on ONE event-loop thread, so the MAC table and the
 * counters are plain fields with no locks; other threads (the stdin reader, the shutdown hook)
 * only ask that thread for a snapshot. Frames are forwarded zero-copy (reference-counted slices
 * of the receive buffer, header included).
 *
 * <p>Memory is bounded: each port's outbound buffer has a high-water mark beyond which frames
 * to that port are dropped and counted, the MAC table has a fixed capacity, and the number of
 * ports is capped. May use Netty and hv.api; never HV's VM internals.
 */
package hv.tools.netswitch;
