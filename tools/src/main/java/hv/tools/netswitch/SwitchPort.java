package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;

/**
 * One port of the switch: a connected VM (or QEMU, or anything speaking the stream framing)
 * and its counters. Counters are plain longs: only the switch thread writes them.
 */
final class SwitchPort {
    final int id;
    final String peer;
    final Outlet outlet;
    long rxFrames;
    long rxBytes;
    long txFrames;
    long txBytes;
    /** Frames for this port dropped because it was not draining its socket fast enough. */
    long txDropped;
    /** Frames from this port dropped on arrival: too short, too long. */
    long rxDropped;
    /** Garbage length prefixes (the port was disconnected for it). */
    long rxBadLength;
    boolean gone;
    /** Has unflushed writes; in the core's dirty list. */
    boolean dirty;

    SwitchPort(int id, String peer, Outlet outlet) {
        this.id = id;
        this.peer = peer;
        this.outlet = outlet;
    }

    /** Sends one wire frame of {@code frameBytes} frame bytes; drops and counts when the port is slow. */
    boolean send(ByteBuf wire, int frameBytes) {
        if (!outlet.writable()) {
            wire.release();
            txDropped++;
            return false;
        }
        outlet.write(wire);
        txFrames++;
        txBytes += frameBytes;
        return true;
    }

    @Override
    public String toString() {
        return "port " + id + " (" + peer + ")";
    }
}
