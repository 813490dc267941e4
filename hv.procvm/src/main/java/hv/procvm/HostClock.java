package hv.procvm;

import hv.api.platform.GuestClock;

/** The time base the harts' time CSR reads: the host's monotonic clock at the virt machine's 10 MHz. */
final class HostClock implements GuestClock {
    private final long origin = System.nanoTime();

    @Override
    public long mtime() {
        return (System.nanoTime() - origin) / 100;
    }

    @Override
    public long frequency() {
        return DEFAULT_FREQUENCY;
    }
}
