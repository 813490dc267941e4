package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;

/** Where a port's outgoing frames go: a socket in the switch, a recorder in tests. */
interface Outlet {

    /** False when the port's outbound buffer is above its high-water mark (a slow peer). */
    boolean writable();

    /** Queues one wire frame (length prefix + frame); takes ownership of {@code frame}. */
    void write(ByteBuf frame);

    void flush();

    /** Disconnects the port (it sent garbage). */
    void close();
}
