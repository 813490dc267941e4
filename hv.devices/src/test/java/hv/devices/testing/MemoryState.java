package hv.devices.testing;

import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.ArrayList;
import java.util.List;

/** An in-memory state stream: what a writer puts, a reader gets back, with type checks. */
public final class MemoryState implements StateWriter {
    private final List<Object> values = new ArrayList<>();

    @Override
    public void putBoolean(boolean v) {
        values.add(v);
    }

    @Override
    public void putInt(int v) {
        values.add(v);
    }

    @Override
    public void putLong(long v) {
        values.add(v);
    }

    @Override
    public void putLongs(long[] v) {
        values.add(v.clone());
    }

    @Override
    public void putBytes(byte[] v) {
        values.add(v.clone());
    }

    @Override
    public void putString(String v) {
        values.add(v);
    }

    public int size() {
        return values.size();
    }

    public StateReader reader() {
        return new StateReader() {
            private int next;

            private <T> T take(Class<T> type) throws StateException {
                if (next >= values.size()) {
                    throw new StateException("truncated state at field " + next);
                }
                Object v = values.get(next++);
                if (!type.isInstance(v)) {
                    throw new StateException("field " + (next - 1) + " is " + v.getClass().getSimpleName() + ", not " + type.getSimpleName());
                }
                return type.cast(v);
            }

            @Override
            public boolean getBoolean() throws StateException {
                return take(Boolean.class);
            }

            @Override
            public int getInt() throws StateException {
                return take(Integer.class);
            }

            @Override
            public long getLong() throws StateException {
                return take(Long.class);
            }

            @Override
            public long[] getLongs() throws StateException {
                return take(long[].class).clone();
            }

            @Override
            public byte[] getBytes() throws StateException {
                return take(byte[].class).clone();
            }

            @Override
            public String getString() throws StateException {
                return take(String.class);
            }
        };
    }
}
