package hv.memory;

import java.util.Arrays;

/**
 * An open-addressing long→long hash map (linear probing, backward-shift deletion, no boxing),
 * for the MMU slow path. Key -1 is reserved as the empty marker. Single-threaded.
 */
final class LongLongMap {
    static final long NO_KEY = -1L;

    private final int initialCapacity;
    private long[] keys;
    private long[] values;
    private int mask;
    private int size;

    LongLongMap(int initialCapacity) {
        this.initialCapacity = Integer.highestOneBit(Math.max(8, initialCapacity - 1) << 1);
        allocate(this.initialCapacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, NO_KEY);
        mask = capacity - 1;
        size = 0;
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 29));
    }

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    long get(long key, long missing) {
        long[] ks = keys;
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long k = ks[i];
            if (k == key) {
                return values[i];
            }
            if (k == NO_KEY) {
                return missing;
            }
        }
    }

    void put(long key, long value) {
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == NO_KEY) {
                keys[i] = key;
                values[i] = value;
                if (++size * 2 > keys.length) { // load factor at most 1/2
                    rehash(keys.length * 2);
                }
                return;
            }
        }
    }

    /** Removes key; returns true when it was present. */
    boolean remove(long key) {
        int m = mask;
        for (int i = hash(key) & m; ; i = (i + 1) & m) {
            long k = keys[i];
            if (k == NO_KEY) {
                return false;
            }
            if (k == key) {
                deleteAt(i);
                return true;
            }
        }
    }

    /** Backward-shift deletion: later entries of the probe run move into the hole. */
    private void deleteAt(int hole) {
        int m = mask;
        int i = hole;
        for (;;) {
            i = (i + 1) & m;
            long k = keys[i];
            if (k == NO_KEY) {
                break;
            }
            int home = hash(k) & m;
            // Move k into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
            if (!homeBetween) {
                keys[hole] = k;
                values[hole] = values[i];
                hole = i;
            }
        }
        keys[hole] = NO_KEY;
        size--;
    }

    void clear() {
        if (keys.length > initialCapacity * 4) {
            allocate(initialCapacity);
        } else if (size > 0) {
            Arrays.fill(keys, NO_KEY);
            size = 0;
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(capacity);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != NO_KEY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    interface EntryPredicate {
        boolean test(long key, long value);
    }

    interface EntryVisitor {
        void visit(long key, long value);
    }

    /** Removes every entry the predicate selects; returns how many. */
    int removeIf(EntryPredicate predicate) {
        long[] oldKeys = keys;
        long[] oldValues = values;
        int removed = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != NO_KEY && predicate.test(oldKeys[i], oldValues[i])) {
                removed++;
            }
        }
        if (removed == 0) {
            return 0;
        }
        allocate(oldKeys.length);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != NO_KEY && !predicate.test(oldKeys[i], oldValues[i])) {
                put(oldKeys[i], oldValues[i]);
            }
        }
        return removed;
    }

    void forEach(EntryVisitor visitor) {
        long[] ks = keys;
        long[] vs = values;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] != NO_KEY) {
                visitor.visit(ks[i], vs[i]);
            }
        }
    }
}
