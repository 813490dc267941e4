package hv.tools.netswitch;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The forwarding logic of a transparent L2 switch (IEEE 802.1D's learning and forwarding
 * process, without spanning tree): learn each frame's source address on its ingress port;
 * send frames for a known unicast address to that port only; flood broadcast, multicast and
 * unknown unicast to every other port; filter frames whose destination is behind their own
 * ingress port.
 *
 * <p>Runs on the switch's single thread. Frames are wire frames (4-byte length + Ethernet
 * frame) and are forwarded as reference-counted duplicates, never copied. Writes are flushed
 * once per batch: the first write after a flush asks {@code scheduler} to run
 * {@link #flushAll()} after the current burst of socket reads, so many frames share one
 * system call per port.
 */
final class SwitchCore {
    /** Departed ports kept for the statistics, most recent last. */
    static final int DEPARTED_KEPT = 32;

    private final MacTable<SwitchPort> table;
    private final LongSupplier clock;
    private final Consumer<Runnable> scheduler;
    private final List<SwitchPort> ports = new ArrayList<>();
    private final ArrayDeque<SwitchPort> departed = new ArrayDeque<>();
    private final List<SwitchPort> dirty = new ArrayList<>();
    private final Runnable flushTask = this::flushAll;
    private boolean flushScheduled;
    private int nextId = 1;
    // Switch-wide counters.
    long flooded;
    long filtered;
    long learnFailures;

    SwitchCore(int maxMacs, long ageingNanos, LongSupplier clock, Consumer<Runnable> scheduler) {
        this.table = new MacTable<>(maxMacs, ageingNanos);
        this.clock = clock;
        this.scheduler = scheduler;
    }

    SwitchPort addPort(String peer, Outlet outlet) {
        SwitchPort p = new SwitchPort(nextId++, peer, outlet);
        ports.add(p);
        return p;
    }

    /** The port left: forget the addresses behind it, keep its counters for the statistics. */
    void removePort(SwitchPort p) {
        if (p.gone) {
            return;
        }
        p.gone = true;
        ports.remove(p);
        dirty.remove(p);
        p.dirty = false;
        table.forget(p);
        departed.addLast(p);
        while (departed.size() > DEPARTED_KEPT) {
            departed.removeFirst();
        }
    }

    int portCount() {
        return ports.size();
    }

    /**
     * Forwards one wire frame that arrived on {@code in}. The caller keeps its reference to
     * {@code wire} and releases it afterwards; outputs take their own.
     */
    void forward(SwitchPort in, ByteBuf wire) {
        int start = wire.readerIndex();
        int frameBytes = wire.readableBytes() - 4;
        in.rxFrames++;
        in.rxBytes += frameBytes;
        long dst = MacTable.mac(wire, start + 4);
        long src = MacTable.mac(wire, start + 10);
        long now = clock.getAsLong();
        // A group address is never a valid source (IEEE 802.1D 7.8): forward, but do not learn it.
        if (!MacTable.isGroup(src) && !table.learn(src, in, now)) {
            learnFailures++;
        }
        if (!MacTable.isGroup(dst)) {
            SwitchPort out = table.lookup(dst, now);
            if (out != null) {
                if (out == in) {
                    filtered++;
                } else {
                    sendTo(out, wire.retainedDuplicate(), frameBytes);
                }
                return;
            }
        }
        flooded++;
        for (int i = 0, n = ports.size(); i < n; i++) {
            SwitchPort out = ports.get(i);
            if (out != in) {
                sendTo(out, wire.retainedDuplicate(), frameBytes);
            }
        }
    }

    private void sendTo(SwitchPort out, ByteBuf wire, int frameBytes) {
        if (out.send(wire, frameBytes) && !out.dirty) {
            out.dirty = true;
            dirty.add(out);
            if (!flushScheduled) {
                flushScheduled = true;
                scheduler.accept(flushTask);
            }
        }
    }

    void flushAll() {
        flushScheduled = false;
        for (int i = 0, n = dirty.size(); i < n; i++) {
            SwitchPort p = dirty.get(i);
            p.dirty = false;
            p.outlet.flush();
        }
        dirty.clear();
    }

    /** Drops aged entries (also done lazily on lookup); called periodically. */
    int expire() {
        return table.expire(clock.getAsLong());
    }

    int learnedAddresses() {
        return table.size();
    }

    /** Which port {@code mac} is learned on, for tests and diagnostics; null when unknown. */
    SwitchPort whereIs(long mac) {
        return table.lookup(mac, clock.getAsLong());
    }

    /** A snapshot of the statistics; call on the switch thread. */
    SwitchStats stats() {
        List<SwitchStats.PortRow> rows = new ArrayList<>();
        for (SwitchPort p : ports) {
            rows.add(SwitchStats.PortRow.of(p));
        }
        for (SwitchPort p : departed) {
            rows.add(SwitchStats.PortRow.of(p));
        }
        return new SwitchStats(rows, table.size(), table.maxEntries(), flooded, filtered, learnFailures);
    }
}
