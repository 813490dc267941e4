package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.platform.HartLink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The debugger side of the hart: {@link Hart#step()} runs exactly one instruction (also one that
 * traps, and with the JIT having translated the code), and breakpoints from {@link Breakpoints}
 * stop the hart before an instruction, also in the middle of a translated region. Run with the
 * interpreter only (jit 0) and with every block translated at once (jit 1).
 */
class DebugStopTest {
    private static final long B = TestMachine.BASE;
    /** A loop: x5 counts to 100 (x6 = 100), x7 = x5 + 7 each time; then ebreak. */
    private static final int[] LOOP = {
            addi(5, 0, 0), addi(6, 0, 100),
            addi(5, 5, 1),     // B+8: loop head
            addi(7, 5, 7),     // B+12: mid-block
            blt(5, 6, -8),     // B+16
            EBREAK};

    private static TestMachine machine(int jit) {
        TestMachine m = new TestMachine(HartConfig.firmware().withJitThreshold(jit));
        m.put(B, LOOP);
        m.hart.reset(B, Hart.PRIV_M);
        m.hart.flushDecodeCache();
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void breakpointMidLoopStopsEveryIterationWithTheJitOn(int jit) {
        try (TestMachine m = machine(jit)) {
            Breakpoints bps = new Breakpoints();
            m.hart.watchBreakpoints(bps);
            // run the loop to its end once with no breakpoints: hot code is translated (jit 1)
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1_000_000));
            m.hart.reset(B, Hart.PRIV_M);
            bps.add(B + 12);
            for (int i = 1; i <= 5; i++) {
                assertEquals(ExitReason.DEBUG, m.hart.run(1_000_000));
                assertEquals(B + 12, m.hart.pc);
                assertEquals(i, m.hart.x[5], "stopped in iteration " + i);
                assertEquals(ExitReason.DEBUG, m.hart.step()); // step over the breakpoint
                assertEquals(B + 16, m.hart.pc);
                assertEquals(i + 7, m.hart.x[7]);
            }
            bps.remove(B + 12);
            assertTrue(bps.isEmpty());
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1_000_000));
            assertEquals(100, m.hart.x[5]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void stepRunsExactlyOneInstruction(int jit) {
        try (TestMachine m = machine(jit)) {
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1_000_000)); // translated by now (jit 1)
            m.hart.reset(B, Hart.PRIV_M);
            long retired = m.hart.retired;
            long[] pcs = {B + 4, B + 8, B + 12, B + 16, B + 8, B + 12};
            for (long pc : pcs) {
                assertEquals(ExitReason.DEBUG, m.hart.step());
                assertEquals(pc, m.hart.pc);
            }
            assertEquals(6, m.hart.retired - retired);
            assertEquals(2, m.hart.x[5]);
            assertEquals(8, m.hart.x[7]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void stepOfATrappingInstructionStopsAtTheHandlersFirstInstruction(int jit) {
        try (TestMachine m = new TestMachine(HartConfig.firmware().withJitThreshold(jit))) {
            long handler = B + 0x100;
            m.put(handler, addi(10, 0, 42), EBREAK);
            m.put(B, 0xffffffff /* illegal */, addi(11, 0, 1), EBREAK);
            m.hart.reset(B, Hart.PRIV_M);
            m.hart.mtvec = handler;
            assertEquals(ExitReason.DEBUG, m.hart.step());
            assertEquals(handler, m.hart.pc, "at the handler, its first instruction not run yet");
            assertEquals(Hart.CAUSE_ILLEGAL_INSTRUCTION, m.hart.mcause);
            assertEquals(B, m.hart.mepc);
            assertEquals(0, m.hart.x[10]);
            assertEquals(ExitReason.DEBUG, m.hart.step());
            assertEquals(42, m.hart.x[10]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aStepTakesNoPendingInterruptButContinuingDoes(int jit) {
        try (TestMachine m = machine(jit)) {
            long handler = B + 0x200;
            m.put(handler, EBREAK);
            m.hart.mtvec = handler;
            m.hart.mie = 1L << HartLink.MSIP;
            m.hart.mstatus |= 1L << 3; // MIE
            m.hart.link().setInterruptPending(HartLink.MSIP, true);
            assertEquals(ExitReason.DEBUG, m.hart.step());
            assertEquals(B + 4, m.hart.pc, "the step ran the instruction, not the interrupt");
            Breakpoints bps = new Breakpoints();
            bps.add(handler);
            m.hart.watchBreakpoints(bps);
            assertEquals(ExitReason.DEBUG, m.hart.run(1_000_000));
            assertEquals(handler, m.hart.pc, "a breakpoint on the interrupt handler stops before its first instruction");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void breakpointsAreVirtualAddresses(int jit) {
        // the same code at a second virtual address is not stopped by a breakpoint on the first
        try (TestMachine m = machine(jit)) {
            Breakpoints bps = new Breakpoints();
            bps.add(B + 0x5000 + 12);
            m.hart.watchBreakpoints(bps);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1_000_000));
            assertEquals(100, m.hart.x[5]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void watchpointsStopAfterTheAccessingInstruction(int jit) {
        try (TestMachine m = new TestMachine(HartConfig.firmware().withJitThreshold(jit))) {
            long data = TestMachine.DATA;
            m.store64(data, 5);
            // x5 = &data; x6 = data[0] (load); x6 += 1; the word at +4 = x6 (store); data[0] = x6 (store)
            m.put(B, ld(6, 5, 0), addi(6, 6, 1), sw(6, 5, 4), sd(6, 5, 0), EBREAK);
            m.hart.reset(B, Hart.PRIV_M);
            m.hart.x[5] = data;
            m.hart.flushDecodeCache();
            Breakpoints bps = new Breakpoints();
            bps.addWatch(data, 4, Breakpoints.WRITE); // the low word only: sw at +4 does not touch it
            bps.addWatch(data, 8, Breakpoints.READ);
            m.hart.watchBreakpoints(bps);

            assertEquals(ExitReason.DEBUG, m.hart.run(1_000_000));
            assertEquals(B + 4, m.hart.pc, "after the load");
            assertEquals(5, m.hart.x[6]);
            assertEquals(new Breakpoints.Watch(data, 8, Breakpoints.READ), m.hart.watchpointHit());

            assertEquals(ExitReason.DEBUG, m.hart.run(1_000_000));
            assertEquals(B + 16, m.hart.pc, "after the sd, not after the sw that missed the watched word");
            assertEquals(6, m.load64(data) & 0xffffffffL);
            assertEquals(new Breakpoints.Watch(data, 4, Breakpoints.WRITE), m.hart.watchpointHit());

            assertTrue(bps.removeWatch(data, 4, Breakpoints.WRITE));
            assertTrue(bps.removeWatch(data, 8, Breakpoints.READ));
            assertTrue(bps.isEmpty());
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1_000_000));
        }
    }
}
