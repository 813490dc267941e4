package hv.devices.platform;

import hv.api.platform.HartLink;
import hv.devices.testing.MemoryState;
import hv.devices.testing.RecordingHart;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLINT/ACLINT registers: msip → MSIP, mtimecmp → the hart's timer, mtime → the machine clock. */
class ClintTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final MachineClock clock = new MachineClock(10_000_000L, nanos::get);
    private final List<RecordingHart> harts = RecordingHart.harts(3);
    private final Clint clint = new Clint(harts, clock);

    @Test
    void msipBitRaisesAndClearsTheSoftwareInterrupt() {
        clint.write(4 * 2, 4, 1);
        assertTrue(harts.get(2).pending(HartLink.MSIP));
        assertFalse(harts.get(0).pending(HartLink.MSIP));
        assertEquals(1, clint.read(8, 4));
        clint.write(8, 4, 0xfffffffeL); // only bit 0 is implemented
        assertFalse(harts.get(2).pending(HartLink.MSIP));
        assertEquals(0, clint.read(8, 4));
    }

    @Test
    void mtimecmpStartsAtMaximumAndA64BitWriteReachesTheHart() {
        assertEquals(-1L, clint.read(0x4000 + 8, 8), "no timer interrupt at power-on");
        clint.write(0x4000 + 8, 8, 0x1234_5678_9abc_def0L);
        assertEquals(0x1234_5678_9abc_def0L, harts.get(1).lastCompare());
        assertEquals(0x1234_5678_9abc_def0L, clint.read(0x4008, 8));
        assertEquals(0x9abc_def0L, clint.read(0x4008, 4));
        assertEquals(0x1234_5678L, clint.read(0x400c, 4));
    }

    @Test
    void thirtyTwoBitHalvesCombine() {
        clint.write(0x4000, 4, 0x0000_0005L);       // low half
        clint.write(0x4004, 4, 0x0000_0007L);       // high half
        assertEquals(0x7_0000_0005L, harts.get(0).lastCompare());
        assertEquals(0x7_0000_0005L, clint.read(0x4000, 8));
    }

    @Test
    void mtimeFollowsTheClockAt10MHz() {
        long t0 = clint.read(0xbff8, 8);
        nanos.addAndGet(1_000_000_000L);
        assertEquals(t0 + 10_000_000L, clint.read(0xbff8, 8));
        assertEquals((t0 + 10_000_000L) & 0xffff_ffffL, clint.read(0xbff8, 4));
        assertEquals((t0 + 10_000_000L) >>> 32, clint.read(0xbffc, 4));
    }

    @Test
    void writingMtimeMovesTheClockAndRearmsEveryHart() {
        clint.write(0x4000, 8, 500);
        int before = harts.get(0).compares().size();
        clint.write(0xbff8, 8, 1_000_000L);
        assertEquals(1_000_000L, clock.mtime());
        assertTrue(harts.get(0).compares().size() > before, "hart re-armed after mtime moved");
        assertEquals(500, harts.get(0).lastCompare());
    }

    @Test
    void harmlessOutsideTheHarts() {
        clint.write(4 * 7, 4, 1);
        clint.write(0x4000 + 8 * 7, 8, 5);
        assertEquals(0, clint.read(4 * 7, 4));
        assertEquals(0, clint.read(0x4000 + 8 * 7, 8));
        assertEquals(0, clint.read(3, 4), "misaligned reads 0");
        assertEquals(0, clint.read(-8, 8));
    }

    @Test
    void stateRoundTrip() throws Exception {
        clint.write(4, 4, 1);
        clint.write(0x4010, 8, 99);
        MemoryState s = new MemoryState();
        clint.saveState(s);
        List<RecordingHart> other = RecordingHart.harts(3);
        Clint restored = new Clint(other, clock);
        restored.restoreState(s.reader(), clint.stateVersion());
        assertTrue(other.get(1).pending(HartLink.MSIP));
        assertEquals(99, other.get(2).lastCompare());
        assertEquals(99, restored.read(0x4010, 8));
    }
}
