package hv.tools.netswitch;

import java.util.List;

/** A snapshot of the switch's counters, taken on the switch thread and printed anywhere. */
record SwitchStats(List<PortRow> ports, int macs, int maxMacs, long flooded, long filtered, long learnFailures) {

    record PortRow(int id, String peer, boolean gone, long rxFrames, long rxBytes, long txFrames, long txBytes,
                   long txDropped, long rxDropped, long rxBadLength) {
        static PortRow of(SwitchPort p) {
            return new PortRow(p.id, p.peer, p.gone, p.rxFrames, p.rxBytes, p.txFrames, p.txBytes, p.txDropped, p.rxDropped, p.rxBadLength);
        }
    }

    long totalRxFrames() {
        return ports.stream().mapToLong(PortRow::rxFrames).sum();
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-5s %-24s %-5s %12s %14s %12s %14s %10s %10s %6s%n",
                "PORT", "PEER", "STATE", "RX_FRAMES", "RX_BYTES", "TX_FRAMES", "TX_BYTES", "TX_DROP", "RX_DROP", "BADLEN"));
        for (PortRow r : ports) {
            sb.append(String.format("%-5d %-24s %-5s %12d %14d %12d %14d %10d %10d %6d%n",
                    r.id, r.peer, r.gone ? "gone" : "up", r.rxFrames, r.rxBytes, r.txFrames, r.txBytes, r.txDropped, r.rxDropped, r.rxBadLength));
        }
        sb.append(String.format("macs %d/%d, flooded %d, filtered %d, not learned (table full) %d%n",
                macs, maxMacs, flooded, filtered, learnFailures));
        return sb.toString();
    }
}
