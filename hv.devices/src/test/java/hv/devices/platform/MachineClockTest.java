package hv.devices.platform;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineClockTest {

    private final AtomicLong nanos = new AtomicLong(5_000);
    private final MachineClock clock = new MachineClock(10_000_000L, nanos::get);

    @Test
    void ticksAtTenMegahertz() {
        assertEquals(0, clock.mtime());
        nanos.addAndGet(100);
        assertEquals(1, clock.mtime());
        nanos.addAndGet(3_600_000_000_000L); // one hour: no overflow
        assertEquals(36_000_000_001L, clock.mtime());
    }

    @Test
    void pauseFreezesAndResumeContinuesWithoutAJump() {
        nanos.addAndGet(1_000);
        clock.pause();
        nanos.addAndGet(1_000_000_000L);
        assertEquals(10, clock.mtime());
        clock.resume();
        assertEquals(10, clock.mtime());
        nanos.addAndGet(200);
        assertEquals(12, clock.mtime());
    }

    @Test
    void setMovesTimeAndNanosUntilConverts() {
        clock.set(1_000);
        assertEquals(1_000, clock.mtime());
        assertEquals(100_000, clock.nanosUntil(2_000));
        assertEquals(0, clock.nanosUntil(10));
    }

    @Test
    void realClockAdvances() throws Exception {
        MachineClock real = new MachineClock();
        long a = real.mtime();
        Thread.sleep(5);
        assertTrue(real.mtime() - a >= 50_000, "5 ms is at least 50000 ticks at 10 MHz");
    }
}
