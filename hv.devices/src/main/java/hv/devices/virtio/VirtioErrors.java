package hv.devices.virtio;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-device counters of guest misbehaviour. The first occurrence of each kind is logged (with
 * the detail), later ones only counted, so a hostile guest cannot flood the host's log.
 * Lock-free; callable from any thread.
 */
public final class VirtioErrors {

    private static final VirtioError[] KINDS = VirtioError.values();

    private final String name;
    private final System.Logger log;
    private final AtomicLongArray counts = new AtomicLongArray(KINDS.length);

    public VirtioErrors(String name, System.Logger log) {
        this.name = name;
        this.log = log;
    }

    public void report(VirtioError kind, String detail) {
        if (counts.getAndIncrement(kind.ordinal()) == 0) {
            log.log(System.Logger.Level.WARNING, name + ": " + kind.description() + ": " + detail
                    + " (further occurrences are counted, not logged)");
        }
    }

    public long count(VirtioError kind) {
        return counts.get(kind.ordinal());
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < KINDS.length; i++) {
            t += counts.get(i);
        }
        return t;
    }

    /** Non-zero counters, for --stats. */
    public Map<VirtioError, Long> snapshot() {
        Map<VirtioError, Long> m = new EnumMap<>(VirtioError.class);
        for (VirtioError k : KINDS) {
            long c = counts.get(k.ordinal());
            if (c != 0) {
                m.put(k, c);
            }
        }
        return m;
    }
}
