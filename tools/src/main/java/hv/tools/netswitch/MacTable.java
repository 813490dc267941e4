package hv.tools.netswitch;

/**
 * The switch's forwarding database: MAC address → port, with the time it was last seen.
 * Open addressing with linear probing over plain arrays, so learning and lookup on the
 * forwarding path allocate nothing; the capacity is fixed, so a port spraying random source
 * addresses cannot grow it (once full, new addresses are simply not learned and their frames
 * are flooded, as a hardware switch does).
 *
 * <p>Entries older than the ageing time are treated as absent (IEEE 802.1D's ageing; default
 * 300 s) and removed when met or by {@link #expire}. Not thread-safe: used on the switch's one
 * thread.
 *
 * @param <P> the port type
 */
final class MacTable<P> {
    private static final long USED = 1L << 63;
    private static final long MAC_MASK = (1L << 48) - 1;

    private final long[] keys;
    private final Object[] ports;
    private final long[] seen;
    private final int mask;
    private final int maxEntries;
    private final long ageingNanos;
    private int size;

    MacTable(int maxEntries, long ageingNanos) {
        if (maxEntries < 1 || maxEntries > (1 << 24)) {
            throw new IllegalArgumentException("MAC table size " + maxEntries);
        }
        // At most half full, so probe sequences stay short.
        int capacity = Integer.highestOneBit(Math.max(8, maxEntries) * 2 - 1) << 1;
        this.keys = new long[capacity];
        this.ports = new Object[capacity];
        this.seen = new long[capacity];
        this.mask = capacity - 1;
        this.maxEntries = maxEntries;
        this.ageingNanos = ageingNanos;
    }

    int size() {
        return size;
    }

    int maxEntries() {
        return maxEntries;
    }

    private int home(long mac) {
        long h = mac * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int find(long mac) {
        long key = mac | USED;
        for (int i = home(mac); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** The port {@code mac} was last seen on, or null when unknown or aged out. */
    @SuppressWarnings("unchecked")
    P lookup(long mac, long now) {
        int i = find(mac);
        if (i < 0) {
            return null;
        }
        if (now - seen[i] > ageingNanos) {
            removeAt(i);
            return null;
        }
        return (P) ports[i];
    }

    /**
     * Records that {@code mac} is behind {@code port} now (a station that moved is re-learned at
     * once). Returns false when the address is new and the table is full.
     */
    boolean learn(long mac, P port, long now) {
        int i = find(mac);
        if (i >= 0) {
            ports[i] = port;
            seen[i] = now;
            return true;
        }
        if (size >= maxEntries) {
            return false;
        }
        i = home(mac);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = mac | USED;
        ports[i] = port;
        seen[i] = now;
        size++;
        return true;
    }

    /** Forgets every address behind {@code port} (it left). Returns how many. */
    int forget(P port) {
        int removed = 0;
        for (int i = 0; i < keys.length; i++) {
            // removeAt may shift a later entry into slot i: look at i again.
            while (keys[i] != 0 && ports[i] == port) {
                removeAt(i);
                removed++;
            }
        }
        return removed;
    }

    /** Removes entries not seen for longer than the ageing time. Returns how many. */
    int expire(long now) {
        int removed = 0;
        for (int i = 0; i < keys.length; i++) {
            while (keys[i] != 0 && now - seen[i] > ageingNanos) {
                removeAt(i);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Deletes slot {@code i} by shifting later members of its probe run back, so lookups never
     * stop early at a hole (backward-shift deletion; no tombstones to accumulate).
     */
    private void removeAt(int i) {
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (keys[j] == 0) {
                break;
            }
            int want = home(keys[j] & MAC_MASK);
            // Entry j may move into the hole unless its home lies cyclically in (hole, j].
            boolean stays = hole <= j ? (want > hole && want <= j) : (want > hole || want <= j);
            if (!stays) {
                keys[hole] = keys[j];
                ports[hole] = ports[j];
                seen[hole] = seen[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        ports[hole] = null;
        seen[hole] = 0;
        size--;
    }

    /** A 48-bit MAC address read from 6 bytes, most significant first. */
    static long mac(io.netty.buffer.ByteBuf buf, int index) {
        return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
    }

    /** Group (multicast/broadcast) addresses have the I/G bit, the low bit of the first octet, set (IEEE 802). */
    static boolean isGroup(long mac) {
        return (mac & (1L << 40)) != 0;
    }

    static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", (mac >>> shift) & 0xff));
        }
        return sb.toString();
    }
}
