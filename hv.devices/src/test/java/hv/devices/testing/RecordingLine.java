package hv.devices.testing;

import hv.api.device.InterruptLine;

import java.util.concurrent.atomic.AtomicInteger;

/** An interrupt line that remembers its level and counts rising edges. */
public final class RecordingLine implements InterruptLine {
    private volatile boolean level;
    private final AtomicInteger raises = new AtomicInteger();

    @Override
    public synchronized void set(boolean high) {
        if (high && !level) {
            raises.incrementAndGet();
        }
        level = high;
    }

    public boolean isHigh() {
        return level;
    }

    public int raises() {
        return raises.get();
    }
}
