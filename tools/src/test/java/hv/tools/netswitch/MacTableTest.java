package hv.tools.netswitch;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacTableTest {
    private static final long AGE = 1_000;

    @Test
    void learnsLooksUpAndRelearnsAStationThatMoved() {
        MacTable<String> t = new MacTable<>(16, AGE);
        assertNull(t.lookup(0x525400000001L, 0));
        assertTrue(t.learn(0x525400000001L, "p1", 0));
        assertEquals("p1", t.lookup(0x525400000001L, 10));
        assertTrue(t.learn(0x525400000001L, "p2", 20));
        assertEquals("p2", t.lookup(0x525400000001L, 30));
        assertEquals(1, t.size());
    }

    @Test
    void entriesAgeOutOnLookupAndOnExpire() {
        MacTable<String> t = new MacTable<>(16, AGE);
        t.learn(1, "a", 0);
        t.learn(2, "b", 500);
        assertEquals("a", t.lookup(1, AGE), "exactly the ageing time is still fresh");
        assertNull(t.lookup(1, AGE + 1));
        assertEquals(1, t.size());
        assertEquals(0, t.expire(AGE + 500));
        assertEquals(1, t.expire(AGE + 501));
        assertEquals(0, t.size());
    }

    @Test
    void forgetRemovesEveryAddressOfAPortAndNothingElse() {
        MacTable<String> t = new MacTable<>(64, AGE);
        for (long m = 0; m < 40; m++) {
            t.learn(m, m % 3 == 0 ? "gone" : "stays", 0);
        }
        assertEquals(14, t.forget("gone"));
        for (long m = 0; m < 40; m++) {
            assertEquals(m % 3 == 0 ? null : "stays", t.lookup(m, 0), "mac " + m);
        }
    }

    @Test
    void aFullTableLearnsNothingNewButStillRefreshes() {
        MacTable<String> t = new MacTable<>(4, AGE);
        for (long m = 1; m <= 4; m++) {
            assertTrue(t.learn(m, "p", 0));
        }
        assertFalse(t.learn(99, "p", 0));
        assertTrue(t.learn(2, "q", 5));
        assertEquals("q", t.lookup(2, 5));
        assertEquals(4, t.size());
    }

    @Test
    void groupAddressesAreRecognisedByTheIgBit() {
        assertTrue(MacTable.isGroup(0xffffffffffffL));
        assertTrue(MacTable.isGroup(0x01005e000001L));
        assertTrue(MacTable.isGroup(0x333300000001L));
        assertFalse(MacTable.isGroup(0x525400123456L));
        assertFalse(MacTable.isGroup(0x020000000000L));
        assertEquals("52:54:00:12:34:56", MacTable.format(0x525400123456L));
    }

    /** Random learn/lookup/forget/expire against a HashMap model, on a small table so probe runs collide and wrap. */
    @Test
    void behavesLikeAMapUnderRandomOperations() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        MacTable<Integer> t = new MacTable<>(24, AGE);
        Map<Long, long[]> model = new HashMap<>(); // mac -> {port, seen}
        long now = 0;
        try {
            for (int step = 0; step < 200_000; step++) {
                now += r.nextInt(20);
                long mac = r.nextInt(64) * 0x10001L;
                switch (r.nextInt(10)) {
                    case 0, 1, 2, 3 -> {
                        int port = r.nextInt(5);
                        boolean known = model.containsKey(mac) && now - model.get(mac)[1] <= AGE;
                        if (!known) {
                            model.remove(mac);
                            t.lookup(mac, now); // the table drops its aged copy on lookup too
                        }
                        boolean ok = t.learn(mac, port, now);
                        assertEquals(known || model.size() < 24, ok, "learn " + mac);
                        if (ok) {
                            model.put(mac, new long[] {port, now});
                        }
                    }
                    case 4, 5, 6, 7 -> {
                        long[] e = model.get(mac);
                        Integer expected = e == null || now - e[1] > AGE ? null : (int) e[0];
                        if (expected == null) {
                            model.remove(mac);
                        }
                        assertEquals(expected, t.lookup(mac, now), "lookup " + mac);
                    }
                    case 8 -> {
                        int port = r.nextInt(5);
                        int n = t.forget(port);
                        int m = 0;
                        for (var it = model.entrySet().iterator(); it.hasNext(); ) {
                            if (it.next().getValue()[0] == port) {
                                it.remove();
                                m++;
                            }
                        }
                        assertEquals(m, n, "forget " + port);
                    }
                    default -> {
                        final long at = now;
                        int n = t.expire(at);
                        int m = 0;
                        for (var it = model.entrySet().iterator(); it.hasNext(); ) {
                            if (at - it.next().getValue()[1] > AGE) {
                                it.remove();
                                m++;
                            }
                        }
                        assertEquals(m, n, "expire");
                    }
                }
                assertEquals(model.size(), t.size(), "size");
            }
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }
}
