package hv.hosts.vcpu;

import hv.cpu.Hart;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vCPU idling in WFI: how often it wakes on its own, and that a command still wakes it at once. */
class VcpuThreadIdleTest {
    private static final int WFI = 0x1050_0073;


    /** A firmware-mode hart at RAM_BASE running "wfi; j -4" with every interrupt disabled. */
    private static Hart idleHart() {
        return TestHarts.looping(WFI);
    }

    private static final class CountingListener extends TestHarts.StrictListener {
        final AtomicInteger slices = new AtomicInteger();
        final long maxSleep;

        CountingListener(long maxSleep) {
            this.maxSleep = maxSleep;
        }

        @Override
        public void sliceEnded(VcpuThread vcpu) {
            slices.incrementAndGet();
        }

        @Override
        public long maxSleepNanos() {
            return maxSleep;
        }
    }

    private static int wakeupsIn(long millis, CountingListener listener) throws InterruptedException {
        VcpuThread v = new VcpuThread(idleHart(), listener, true);
        v.start("idle-test");
        Thread.sleep(millis);
        int n = listener.slices.get();
        long t0 = System.nanoTime();
        v.send(new VcpuThread.Command.Finish());
        v.join();
        long joinMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(joinMillis < 500, "a posted command wakes a sleeping vCPU at once, took " + joinMillis + " ms");
        assertEquals(VcpuThread.State.FINISHED, v.state());
        return n;
    }

    @Test
    void anIdleVcpuDoesNotWakeUpOnItsOwnByDefault() throws InterruptedException {
        int n = wakeupsIn(400, new CountingListener(VcpuThread.MAX_SLEEP_NANOS));
        assertTrue(n <= 2, "one WFI exit, then a sleep of up to " + VcpuThread.MAX_SLEEP_NANOS / 1_000_000
                + " ms; got " + n + " WFI exits in 400 ms");
    }

    @Test
    void aListenerThatPollsGetsItsShorterPeriod() throws InterruptedException {
        int n = wakeupsIn(400, new CountingListener(20_000_000L));
        assertTrue(n >= 6, "about one WFI exit per 20 ms, got " + n + " in 400 ms");
    }
}
