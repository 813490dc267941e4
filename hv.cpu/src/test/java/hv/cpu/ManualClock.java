package hv.cpu;

import hv.api.platform.GuestClock;

/** A guest clock the test moves by hand. */
final class ManualClock implements GuestClock {
    volatile long now;

    @Override
    public long mtime() {
        return now;
    }

    @Override
    public long frequency() {
        return DEFAULT_FREQUENCY;
    }
}
