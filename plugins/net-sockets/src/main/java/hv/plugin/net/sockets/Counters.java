package hv.plugin.net.sockets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free counters, bumped from the event loop (receive side) and from frontend threads (transmit side). */
final class Counters {
    private static final Counter[] ALL = Counter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void add(Counter c, long n) {
        values.getAndAdd(c.ordinal(), n);
    }

    void inc(Counter c) {
        values.getAndIncrement(c.ordinal());
    }

    long get(Counter c) {
        return values.get(c.ordinal());
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : ALL) {
            m.put(c.key, values.get(c.ordinal()));
        }
        return m;
    }
}
