package hv.devices.testing;

import hv.api.platform.HartLink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A HartLink test double: remembers pending bits and every mtimecmp it was told. */
public final class RecordingHart implements HartLink {
    private final int id;
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Long> compares = new CopyOnWriteArrayList<>();

    public RecordingHart(int id) {
        this.id = id;
    }

    public static List<RecordingHart> harts(int n) {
        List<RecordingHart> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new RecordingHart(i));
        }
        return list;
    }

    @Override
    public int hartId() {
        return id;
    }

    @Override
    public void setInterruptPending(int bit, boolean level) {
        pending.updateAndGet(p -> level ? p | (1 << bit) : p & ~(1 << bit));
    }

    @Override
    public void setMachineTimerCompare(long compare) {
        compares.add(compare);
    }

    public boolean pending(int bit) {
        return (pending.get() & (1 << bit)) != 0;
    }

    public long lastCompare() {
        return compares.isEmpty() ? Long.MIN_VALUE : compares.get(compares.size() - 1);
    }

    public List<Long> compares() {
        return compares;
    }
}
