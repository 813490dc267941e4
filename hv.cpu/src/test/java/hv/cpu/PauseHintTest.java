package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Zihintpause PAUSE exits to the VMM (ExitReason.PAUSE); the other FENCEs stay no-ops. */
class PauseHintTest {
    static final long BASE = TestMachine.BASE;
    static final int PAUSE = 0x0100_000f; // fence w, 0 with fm = 0, rd = rs1 = x0
    static final int FENCE_RW_RW = 0x0330_000f, FENCE_ALL = 0x0ff0_000f, FENCE_TSO = 0x8330_000f, FENCE_W_R = 0x0120_000f;
    static final int MSTATUS = 0x300, MIE = 0x304, MTVEC = 0x305, MIE_BIT = 1 << 3, MTIE = 1 << 7;

    @Test
    void pauseExitsWithPcPastItAndIsCounted() {
        try (TestMachine m = new TestMachine()) {
            Hart h = m.hart;
            m.put(BASE, addi(5, 0, 1), PAUSE, addi(6, 0, 2), EBREAK);
            h.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.PAUSE, h.run(1000));
            assertEquals(BASE + 8, h.pc);
            assertEquals(1, h.x[5]);
            assertEquals(0, h.x[6]);
            assertEquals(2, h.retired, "the addi and the pause retired");
            assertEquals(1, h.exitCount(ExitReason.PAUSE));
            assertEquals(ExitReason.BREAKPOINT, h.run(1000));
            assertEquals(2, h.x[6]);
        }
    }

    @Test
    void otherFencesAreNotSpinHints() {
        try (TestMachine m = new TestMachine()) {
            Hart h = m.hart;
            m.put(BASE, FENCE_RW_RW, FENCE_ALL, FENCE_TSO, FENCE_W_R, addi(5, 0, 3), EBREAK);
            h.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, h.run(1000));
            assertEquals(3, h.x[5]);
            assertEquals(0, h.exitCount(ExitReason.PAUSE));
        }
    }

    /**
     * A hart spinning on "pause; j -4" exits every two instructions, far below the timer-check
     * interval: re-entering run() must still look at the clock, or a spinning hart never takes
     * its timer interrupt (the jiffies hart of an SMP Linux boot would stall the others).
     */
    @Test
    void aSpinningHartStillTakesItsTimerInterrupt() {
        try (TestMachine m = new TestMachine()) {
            Hart h = m.hart;
            long mtrap = BASE + 0x800;
            m.put(mtrap, EBREAK);
            TestMachine.Code c = new TestMachine.Code().li(5, mtrap).add(csrw(MTVEC, 5)).li(5, MTIE).add(csrw(MIE, 5))
                    .li(5, MIE_BIT).add(csrrs(0, MSTATUS, 5), PAUSE, jal(0, -4));
            m.put(BASE, c.build());
            m.clock.now = 0;
            h.reset(BASE, Hart.PRIV_M);
            h.link().setMachineTimerCompare(1000);
            for (int i = 0; i < 100; i++) {
                assertEquals(ExitReason.PAUSE, h.run(1_000_000), "no interrupt is due yet");
            }
            m.clock.now = 2000; // the deadline passes without anyone signalling the hart
            assertEquals(ExitReason.BREAKPOINT, h.run(1_000_000));
            assertEquals(mtrap, h.pc);
            assertEquals(Long.MIN_VALUE | 7, h.mcause);
        }
    }
}
