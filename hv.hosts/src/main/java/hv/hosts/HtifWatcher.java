package hv.hosts;

import hv.memory.GuestRam;

/**
 * HTIF's tohost convention (riscv-tests, Spike): a guest write of 1 to the ELF's {@code tohost}
 * word means pass, {@code (n << 1) | 1} means fail with code n. Polled between vCPU slices, so it
 * costs nothing on the hot path.
 */
final class HtifWatcher {
    /** How often a vCPU idling in WFI polls tohost (the write itself wakes nobody). */
    static final long POLL_NANOS = 50_000_000L;

    private final GuestRam ram;
    private final long offset;
    private final VmLifecycle lifecycle;

    HtifWatcher(GuestRam ram, long tohostAddress, VmLifecycle lifecycle) {
        this.ram = ram;
        this.offset = tohostAddress - ram.base();
        this.lifecycle = lifecycle;
    }

    void poll() {
        long v = ram.getLongVolatile(offset);
        if (v == 0) {
            return;
        }
        if ((v & 1) != 0) {
            lifecycle.powerOff((int) Math.min(255, v >>> 1));
        } else {
            // An HTIF syscall-proxy request: not offered; acknowledge so the guest does not spin forever.
            ram.putLong(offset, 0);
        }
    }
}
