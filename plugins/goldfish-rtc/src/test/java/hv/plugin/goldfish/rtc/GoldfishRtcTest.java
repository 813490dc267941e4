package hv.plugin.goldfish.rtc;

import hv.api.device.DeviceOptions;
import hv.api.device.Placement;
import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.MemoryState;
import hv.devices.testing.TestDeviceContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static hv.plugin.goldfish.rtc.GoldfishRtc.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The goldfish RTC as Linux's rtc-goldfish driver uses it. */
class GoldfishRtcTest {

    private final TestDeviceContext ctx = new TestDeviceContext("rtc0", 0x101000, 0x1000, 11,
            new ArrayGuestMemory(0x8000_0000L, 4096));
    private final AtomicLong host = new AtomicLong(1_700_000_000_123_456_789L);
    private final GoldfishRtc rtc = new GoldfishRtc(ctx, host::get);

    @AfterEach
    void close() {
        rtc.close();
    }

    private long readTime() {
        long lo = rtc.read(TIME_LOW, 4);
        long hi = rtc.read(TIME_HIGH, 4);
        return (hi << 32) | lo;
    }

    private void setAlarm(long t) {
        rtc.write(ALARM_HIGH, 4, t >>> 32);
        rtc.write(ALARM_LOW, 4, t & 0xffff_ffffL);
    }

    @Test
    void timeIsTheHostWallClockInNanoseconds() {
        assertEquals(host.get(), readTime());
        host.addAndGet(5_000_000_000L);
        assertEquals(host.get(), readTime());
    }

    @Test
    void readingLowLatchesHigh() {
        host.set(0x1_ffff_ffffL);
        long lo = rtc.read(TIME_LOW, 4);
        host.set(0x2_0000_0001L); // the high half changes between the two reads
        long hi = rtc.read(TIME_HIGH, 4);
        assertEquals(0x1_ffff_ffffL, (hi << 32) | lo, "a torn read is impossible");
    }

    @Test
    void guestSetsTheTimeHighThenLow() {
        long target = 946_684_800_000_000_000L; // 2000-01-01
        rtc.write(TIME_HIGH, 4, target >>> 32);
        rtc.write(TIME_LOW, 4, target & 0xffff_ffffL);
        assertEquals(target, readTime());
        host.addAndGet(1_000);
        assertEquals(target + 1_000, readTime(), "and it keeps running");
    }

    @Test
    void anAlarmInThePastFiresAtOnceAndRaisesTheLineWhenEnabled() {
        rtc.write(IRQ_ENABLED, 4, 1);
        setAlarm(host.get() - 1);
        assertTrue(ctx.line().isHigh());
        assertEquals(0, rtc.read(ALARM_STATUS, 4), "a fired alarm is no longer armed");
        rtc.write(CLEAR_INTERRUPT, 4, 1);
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void disabledInterruptsKeepTheLineLow() {
        setAlarm(host.get() - 1);
        assertFalse(ctx.line().isHigh());
        rtc.write(IRQ_ENABLED, 4, 1);
        assertTrue(ctx.line().isHigh(), "pending alarm shows once enabled");
    }

    @Test
    void aFutureAlarmFiresOnTheTimerThread() throws Exception {
        GoldfishRtc real = new GoldfishRtc(ctx, GoldfishRtcProvider::wallClockNanos);
        try {
            real.write(IRQ_ENABLED, 4, 1);
            long t = GoldfishRtcProvider.wallClockNanos() + 30_000_000L;
            real.write(ALARM_HIGH, 4, t >>> 32);
            real.write(ALARM_LOW, 4, t & 0xffff_ffffL);
            assertEquals(1, real.read(ALARM_STATUS, 4));
            assertFalse(ctx.line().isHigh());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!ctx.line().isHigh() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertTrue(ctx.line().isHigh());
        } finally {
            real.close();
        }
    }

    @Test
    void clearAlarmDisarms() {
        rtc.write(IRQ_ENABLED, 4, 1);
        setAlarm(host.get() + 1_000_000_000_000L);
        assertEquals(1, rtc.read(ALARM_STATUS, 4));
        rtc.write(CLEAR_ALARM, 4, 1);
        assertEquals(0, rtc.read(ALARM_STATUS, 4));
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void stateRoundTripKeepsTheGuestTime() throws Exception {
        long target = 1_000_000_000_000_000_000L;
        rtc.write(TIME_HIGH, 4, target >>> 32);
        rtc.write(TIME_LOW, 4, target & 0xffff_ffffL);
        rtc.write(IRQ_ENABLED, 4, 1);
        MemoryState s = new MemoryState();
        rtc.saveState(s);
        GoldfishRtc other = new GoldfishRtc(ctx, host::get);
        try {
            other.restoreState(s.reader(), 1);
            long lo = other.read(TIME_LOW, 4);
            assertEquals(target, (other.read(TIME_HIGH, 4) << 32) | lo);
            assertEquals(1, other.read(IRQ_ENABLED, 4));
        } finally {
            other.close();
        }
    }

    @Test
    void providerPlacesItWhereVirtHasIt() throws Exception {
        GoldfishRtcProvider p = new GoldfishRtcProvider();
        assertEquals(new Placement.Fixed(0x101000, 0x1000, 11), p.placement());
        p.create(ctx, DeviceOptions.parse("goldfish-rtc")).close();
    }
}
