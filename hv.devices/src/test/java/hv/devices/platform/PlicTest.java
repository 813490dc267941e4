package hv.devices.platform;

import hv.api.device.InterruptLine;
import hv.api.platform.HartLink;
import hv.devices.testing.MemoryState;
import hv.devices.testing.RecordingHart;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Register-level behaviour of the PLIC (RISC-V PLIC spec v1.0.0) as QEMU virt lays it out. */
class PlicTest {

    private final List<RecordingHart> harts = RecordingHart.harts(2);
    private final Plic plic = new Plic(harts, VirtLayout.PLIC_NDEV);

    // Context numbering of QEMU virt: 2h = M-mode of hart h, 2h+1 = S-mode.
    private static final int H0_M = 0, H0_S = 1, H1_M = 2, H1_S = 3;

    private void priority(int source, int p) {
        plic.write(4L * source, 4, p);
    }

    private void enable(int context, int source) {
        long addr = 0x2000 + 0x80L * context + 4L * (source / 32);
        long old = plic.read(addr, 4);
        plic.write(addr, 4, old | (1L << (source % 32)));
    }

    private void threshold(int context, int t) {
        plic.write(0x200000 + 0x1000L * context, 4, t);
    }

    private int claim(int context) {
        return (int) plic.read(0x200004 + 0x1000L * context, 4);
    }

    private void complete(int context, int source) {
        plic.write(0x200004 + 0x1000L * context, 4, source);
    }

    private boolean pendingBit(int source) {
        return (plic.read(0x1000 + 4L * (source / 32), 4) & (1L << (source % 32))) != 0;
    }

    @Test
    void levelInterruptReachesSupervisorContextAndClaimCompleteCycle() {
        priority(10, 1);
        enable(H0_S, 10);
        assertFalse(harts.get(0).pending(HartLink.SEIP));

        plic.line(10).raise();
        assertTrue(pendingBit(10));
        assertTrue(harts.get(0).pending(HartLink.SEIP));
        assertFalse(harts.get(0).pending(HartLink.MEIP), "M context has nothing enabled");
        assertFalse(harts.get(1).pending(HartLink.SEIP));

        assertEquals(10, claim(H0_S));
        assertFalse(pendingBit(10), "a claimed source is not pending");
        assertFalse(harts.get(0).pending(HartLink.SEIP));
        assertEquals(0, claim(H0_S), "nothing else to claim");

        complete(H0_S, 10);
        assertTrue(pendingBit(10), "line still high after complete: pending again (level gateway)");
        assertTrue(harts.get(0).pending(HartLink.SEIP));

        plic.line(10).lower();
        assertFalse(pendingBit(10));
        assertFalse(harts.get(0).pending(HartLink.SEIP));
    }

    @Test
    void machineContextDrivesMeip() {
        priority(3, 2);
        enable(H1_M, 3);
        plic.line(3).raise();
        assertTrue(harts.get(1).pending(HartLink.MEIP));
        assertFalse(harts.get(1).pending(HartLink.SEIP));
        assertEquals(3, claim(H1_M));
        assertFalse(harts.get(1).pending(HartLink.MEIP));
    }

    @Test
    void thresholdMasksPrioritiesAtOrBelowIt() {
        priority(1, 3);
        enable(H0_S, 1);
        threshold(H0_S, 3);
        plic.line(1).raise();
        assertFalse(harts.get(0).pending(HartLink.SEIP), "priority 3 <= threshold 3 is masked");
        assertEquals(0, claim(H0_S));
        threshold(H0_S, 2);
        assertTrue(harts.get(0).pending(HartLink.SEIP));
        assertEquals(1, claim(H0_S));
    }

    @Test
    void priorityZeroNeverInterrupts() {
        enable(H0_S, 7);
        plic.line(7).raise();
        assertTrue(pendingBit(7), "pending regardless of priority");
        assertFalse(harts.get(0).pending(HartLink.SEIP));
        assertEquals(0, claim(H0_S));
    }

    @Test
    void highestPriorityFirstThenLowestIdOnTies() {
        for (int s : new int[]{4, 5, 6}) {
            enable(H0_S, s);
            plic.line(s).raise();
        }
        priority(4, 2);
        priority(5, 5);
        priority(6, 5);
        assertEquals(5, claim(H0_S), "5 and 6 tie at priority 5: lower id wins");
        assertEquals(6, claim(H0_S));
        assertEquals(4, claim(H0_S));
        assertEquals(0, claim(H0_S));
    }

    @Test
    void completeIsIgnoredForSourceNotEnabledInThatContext() {
        priority(9, 1);
        enable(H0_S, 9);
        plic.line(9).raise();
        assertEquals(9, claim(H0_S));
        complete(H1_S, 9); // not enabled for hart 1: ignored
        assertFalse(pendingBit(9), "still claimed");
        complete(H0_S, 9);
        assertTrue(pendingBit(9));
    }

    @Test
    void aSourceEnabledInTwoContextsIsClaimedOnce() {
        priority(2, 1);
        enable(H0_S, 2);
        enable(H1_S, 2);
        plic.line(2).raise();
        assertTrue(harts.get(0).pending(HartLink.SEIP));
        assertTrue(harts.get(1).pending(HartLink.SEIP));
        assertEquals(2, claim(H1_S));
        assertEquals(0, claim(H0_S), "already claimed by hart 1");
        assertFalse(harts.get(0).pending(HartLink.SEIP));
    }

    @Test
    void registersHoldOnlyImplementedBits() {
        priority(1, 0xffff_ffff);
        assertEquals(7, plic.read(4, 4), "3 priority bits as on QEMU virt");
        plic.write(0, 4, 5);
        assertEquals(0, plic.read(0, 4), "source 0 does not exist");
        plic.write(0x2000, 4, 0xffff_ffffL);
        assertEquals(0xffff_fffeL, plic.read(0x2000, 4), "enable bit of source 0 is hard-wired 0");
        plic.write(0x200000, 4, 0xff);
        assertEquals(7, plic.read(0x200000, 4));
        plic.write(0x1000, 4, 0xffff_ffffL);
        assertEquals(0, plic.read(0x1000, 4), "pending is read-only");
        assertEquals(0, plic.read(0x200000 + 0x1000L * 4, 4), "context 4 does not exist with 2 harts");
        assertEquals(0, plic.read(0x3ffffff0L, 4), "far offsets read 0");
    }

    @Test
    void sourceZeroIsALineToNowhereAndOthersOutOfRangeAreRefused() {
        plic.line(0).raise();
        assertEquals(0, plic.read(0x1000, 4));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> plic.line(VirtLayout.PLIC_NDEV + 1));
    }

    @Test
    void resetClearsConfigurationAndClaims() {
        priority(1, 1);
        enable(H0_S, 1);
        plic.line(1).raise();
        assertEquals(1, claim(H0_S));
        plic.reset();
        assertEquals(0, plic.read(4, 4));
        assertEquals(0, plic.read(0x2080, 4));
        assertTrue(pendingBit(1), "claim cleared, wire still high");
        assertFalse(harts.get(0).pending(HartLink.SEIP));
    }

    @Test
    void stateRoundTripRestoresClaimsAndOutputs() throws Exception {
        priority(11, 4);
        enable(H0_S, 11);
        priority(12, 4);
        enable(H0_S, 12);
        plic.line(11).raise();
        plic.line(12).raise();
        assertEquals(11, claim(H0_S));
        MemoryState state = new MemoryState();
        plic.saveState(state);

        List<RecordingHart> other = RecordingHart.harts(2);
        Plic restored = new Plic(other, VirtLayout.PLIC_NDEV);
        restored.restoreState(state.reader(), plic.stateVersion());
        assertTrue(other.get(0).pending(HartLink.SEIP), "12 still pending");
        assertEquals(12, (int) restored.read(0x200004 + 0x1000L * H0_S, 4));
        assertEquals(0, (int) restored.read(0x200004 + 0x1000L * H0_S, 4), "11 was claimed in the snapshot");
    }

    /**
     * Threads toggling lines while others claim and complete: at the end every hart output
     * matches the registers exactly (no stale publish won the race).
     */
    @Test
    void concurrentLinesAndClaimsConvergeToTheTrueOutput() throws Exception {
        for (int s = 1; s <= 32; s++) {
            priority(s, 1 + s % 7);
            enable(H0_S, s);
            enable(H1_S, s);
        }
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    java.util.Random r = new java.util.Random(seed);
                    for (int i = 0; i < 20_000; i++) {
                        int s = 1 + r.nextInt(32);
                        InterruptLine line = plic.line(s);
                        switch (r.nextInt(3)) {
                            case 0 -> line.set(r.nextBoolean());
                            case 1 -> {
                                int ctx = r.nextBoolean() ? H0_S : H1_S;
                                int got = claim(ctx);
                                if (got != 0) {
                                    complete(ctx, got);
                                }
                            }
                            default -> line.lower();
                        }
                    }
                } catch (Throwable e) {
                    errors.incrementAndGet();
                }
            }));
        }
        go.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(0, errors.get());
        plic.line(1).raise(); // one more edge so the final pass sees a quiet controller
        for (int h = 0; h < 2; h++) {
            long pending = plic.read(0x1000, 4) & plic.read(0x2000 + 0x80L * (2 * h + 1), 4);
            boolean expected = false;
            for (int s = 1; s <= 32; s++) {
                if ((pending & (1L << s)) != 0 && plic.read(4L * s, 4) > 0) {
                    expected = true;
                }
            }
            assertEquals(expected, harts.get(h).pending(HartLink.SEIP), "hart " + h);
        }
    }
}
