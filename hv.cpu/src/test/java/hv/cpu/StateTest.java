package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** saveState/restoreState round-trip the architectural state; a restored hart continues identically. */
class StateTest {
    /** An in-memory state stream. */
    static final class Stream implements StateWriter, StateReader {
        final Deque<Object> items = new ArrayDeque<>();

        @Override public void putBoolean(boolean v) { items.add(v); }
        @Override public void putInt(int v) { items.add(v); }
        @Override public void putLong(long v) { items.add(v); }
        @Override public void putLongs(long[] v) { items.add(v.clone()); }
        @Override public void putBytes(byte[] v) { items.add(v.clone()); }
        @Override public void putString(String v) { items.add(v); }

        private Object next() throws StateException {
            if (items.isEmpty()) {
                throw new StateException("truncated");
            }
            return items.poll();
        }

        @Override public boolean getBoolean() throws StateException { return (Boolean) next(); }
        @Override public int getInt() throws StateException { return (Integer) next(); }
        @Override public long getLong() throws StateException { return (Long) next(); }
        @Override public long[] getLongs() throws StateException { return (long[]) next(); }
        @Override public byte[] getBytes() throws StateException { return (byte[]) next(); }
        @Override public String getString() throws StateException { return (String) next(); }
    }

    @Test
    void roundTripAndContinue() throws Exception {
        try (TestMachine m = new TestMachine()) {
            // a loop that accumulates into x2 and x3; stop it mid-way via the budget
            m.put(TestMachine.BASE, new TestMachine.Code().li(1, 1000).li(5, 0x11 << 3).add(csrw(0x340, 5), add(2, 2, 1),
                    mop(0, 3, 2, 1), addi(1, 1, -1), bne(1, 0, -12), EBREAK).build());
            m.hart.reset(TestMachine.BASE, Hart.PRIV_M);
            m.hart.f[7] = 0x1234;
            m.hart.fflags = 3;
            assertEquals(ExitReason.BUDGET, m.hart.run(500));
            Stream s = new Stream();
            m.hart.saveState(s);
            long[] x = m.hart.x.clone();
            long pc = m.hart.pc;

            Hart copy = m.addHart(0, HartConfig.firmware());
            copy.restoreState(s, Hart.STATE_VERSION);
            assertArrayEquals(java.util.Arrays.copyOf(x, 32), java.util.Arrays.copyOf(copy.x, 32));
            assertEquals(pc, copy.pc);
            assertEquals(0x1234, copy.f[7]);
            assertEquals(3, copy.fflags);
            assertEquals(0x88, copy.mscratch);
            assertEquals(m.hart.retired, copy.retired);
            assertEquals(ExitReason.BREAKPOINT, copy.run(100_000));
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(100_000));
            assertEquals(m.hart.x[2], copy.x[2]);
            assertEquals(m.hart.x[3], copy.x[3]);
            assertEquals(500500, copy.x[2]);
        }
    }

    @Test
    void refusesWrongVersionsAndTruncation() throws Exception {
        try (TestMachine m = new TestMachine()) {
            Stream s = new Stream();
            m.hart.saveState(s);
            assertThrows(StateException.class, () -> m.hart.restoreState(s, 99));
            Stream t = new Stream();
            t.putInt(Hart.STATE_VERSION);
            t.putLongs(new long[3]);
            assertThrows(StateException.class, () -> m.hart.restoreState(t, Hart.STATE_VERSION));
            Stream u = new Stream();
            m.hart.saveState(u);
            u.items.pollLast();
            assertThrows(StateException.class, () -> m.hart.restoreState(u, Hart.STATE_VERSION));
        }
    }
}
