package hv.hosts.vcpu;

import hv.cpu.ExitReason;
import hv.cpu.Hart;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A vCPU whose guest spins on PAUSE (Linux's cpu_relax()) gives its host core away on every PAUSE exit. */
class VcpuThreadPauseTest {
    private static final int PAUSE = 0x0100_000f;


    private static Hart spinningHart() {
        return TestHarts.looping(PAUSE);
    }

    private static final class ParkingListener extends TestHarts.StrictListener {
        private final long parkNanos;

        ParkingListener(long parkNanos) {
            this.parkNanos = parkNanos;
        }

        @Override
        public long pauseParkNanos() {
            return parkNanos;
        }
    }

    /** Runs the spinning vCPU for {@code millis}, finishes it, and returns its PAUSE exits. */
    private static long pauseExitsIn(long millis, long parkNanos) throws InterruptedException {
        Hart h = spinningHart();
        VcpuThread v = new VcpuThread(h, new ParkingListener(parkNanos), true);
        v.start("pause-test");
        Thread.sleep(millis);
        long t0 = System.nanoTime();
        v.send(new VcpuThread.Command.Finish());
        v.join();
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 500, "a posted command ends a spinning vCPU at once");
        assertEquals(VcpuThread.State.FINISHED, v.state());
        // every PAUSE exited: two instructions per exit (the kick that ends the last run may cut one pair short)
        long n = h.exitCount(ExitReason.PAUSE);
        assertTrue(Math.abs(h.retired - 2 * n) <= 2, "retired " + h.retired + " for " + n + " PAUSE exits");
        return n;
    }

    @Test
    void aParkingPolicySleepsOnEveryPause() throws InterruptedException {
        long n = pauseExitsIn(300, 10_000_000L);
        // 10 ms per PAUSE: about 30 in 300 ms (a loaded host parks longer, never shorter)
        assertTrue(n >= 3 && n <= 40, "expected about 30 PAUSE exits, got " + n);
    }

    @Test
    void theYieldPolicyKeepsRunningTheGuest() throws InterruptedException {
        long n = pauseExitsIn(300, 0);
        assertTrue(n > 40, "a yield does not sleep: the guest keeps spinning, got only " + n + " PAUSE exits");
    }
}
