package hv.plugin.virtio.net;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free counters: bumped from the backend's thread, the worker and vCPUs. */
final class NetCounters {
    private static final NetCounter[] ALL = NetCounter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void inc(NetCounter c) {
        values.getAndIncrement(c.ordinal());
    }

    void add(NetCounter c, long n) {
        values.getAndAdd(c.ordinal(), n);
    }

    long get(NetCounter c) {
        return values.get(c.ordinal());
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (NetCounter c : ALL) {
            m.put(c.key, values.get(c.ordinal()));
        }
        return m;
    }
}
