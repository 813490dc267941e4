package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongLongMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            LongLongMap map = new LongLongMap(8);
            Map<Long, Long> ref = new HashMap<>();
            for (int op = 0; op < 200_000; op++) {
                // Keys from a small range collide a lot, which exercises backward-shift deletion.
                long key = rnd.nextInt(3000) * (rnd.nextBoolean() ? 1L : 0x1_0000_0001L);
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> {
                        long v = rnd.nextLong();
                        map.put(key, v);
                        ref.put(key, v);
                    }
                    case 2 -> assertEquals(ref.remove(key) != null, map.remove(key), "seed " + seed + " op " + op);
                    default -> assertEquals(ref.getOrDefault(key, -7L), map.get(key, -7L), "seed " + seed + " op " + op);
                }
                if (op % 50_000 == 0) {
                    int removed = map.removeIf((k, v) -> (k & 3) == 0);
                    int expected = (int) ref.keySet().stream().filter(k -> (k & 3) == 0).count();
                    ref.keySet().removeIf(k -> (k & 3) == 0);
                    assertEquals(expected, removed);
                }
                assertEquals(ref.size(), map.size());
            }
            for (var e : ref.entrySet()) {
                assertEquals(e.getValue(), map.get(e.getKey(), -7L));
            }
            long[] sum = {0};
            map.forEach((k, v) -> sum[0] += k);
            assertEquals(ref.keySet().stream().mapToLong(Long::longValue).sum(), sum[0]);
            map.clear();
            assertEquals(0, map.size());
            assertEquals(-7L, map.get(ref.keySet().iterator().next(), -7L));
        }
    }
}
