package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.platform.HartLink;
import org.junit.jupiter.api.Test;

/** The exits of hypervisor mode (HV is the SBI) and process mode (the process VM handles U traps). */
class ExitModesTest {
    static final long BASE = TestMachine.BASE;

    @Test
    void hypervisorModeEcallFromSExitsAndResumesAfterIt() {
        try (TestMachine m = new TestMachine(HartConfig.hypervisor())) {
            Hart h = m.hart;
            m.put(BASE, new TestMachine.Code().li(17, 0x10).li(10, 7).add(ECALL, addi(12, 10, 1), EBREAK).build());
            h.reset(BASE, Hart.PRIV_S);
            assertEquals(ExitReason.ECALL, h.run(1000));
            assertEquals(Hart.PRIV_S, h.priv);
            assertEquals(0x10, h.x[17]);
            long ecallPc = h.pc;
            h.x[10] = 0; // SBI_SUCCESS
            h.x[11] = 99;
            h.advancePastEcall();
            assertEquals(ecallPc + 4, h.pc);
            assertEquals(ExitReason.BREAKPOINT, h.run(1000));
            assertEquals(1, h.x[12]);
            assertEquals(99, h.x[11]);
            assertEquals(1, h.exitCount(ExitReason.ECALL));
        }
    }

    @Test
    void hypervisorModeDelegatesToSAndNeverEntersM() {
        try (TestMachine m = new TestMachine(HartConfig.hypervisor())) {
            Hart h = m.hart;
            long stvec = BASE + 0x800;
            m.put(stvec, EBREAK);
            // a U-mode ecall and an illegal instruction in S both go to the guest's stvec
            m.put(BASE, new TestMachine.Code().li(5, stvec).add(csrw(0x105, 5), csrr(6, 0x300)).build());
            h.reset(BASE, Hart.PRIV_S);
            assertEquals(ExitReason.BREAKPOINT, h.run(1000));
            assertEquals(stvec, h.pc);
            assertEquals(2, h.scause);
            assertEquals(Hart.PRIV_S, h.priv);
            // counters and Sstc are available to S; the supervisor timer drives STIP
            assertTrue((h.mcounteren & 2) != 0);
            h.mie = 1 << HartLink.STIP;
            m.clock.now = 100;
            h.setSupervisorTimer(50);
            assertEquals(1L << HartLink.STIP, h.mip() & (1L << HartLink.STIP));
            h.setSupervisorTimer(500);
            assertEquals(0, h.mip() & (1L << HartLink.STIP));
            // a trap that would enter M (an undelegated cause) exits to the VMM instead
            h.medeleg = 0;
            m.put(BASE, 0xffffffff);
            h.pc = BASE;
            h.flushDecodeCache();
            assertEquals(ExitReason.TRAP, h.run(1000));
            assertEquals(2, h.trapCause);
            assertEquals(0xffffffffL, h.trapTval);
        }
    }

    @Test
    void processModeEcallAndTrapsFromUExit() {
        try (TestMachine m = new TestMachine(HartConfig.process())) {
            Hart h = m.hart;
            h.debuggerAttached = false;
            m.put(BASE, new TestMachine.Code().li(17, 93).add(ECALL, addi(10, 0, 3), 0x00000000).build());
            h.reset(BASE, Hart.PRIV_U);
            assertEquals(ExitReason.ECALL, h.run(1000));
            assertEquals(93, h.x[17]);
            assertEquals(Hart.PRIV_U, h.priv);
            h.advancePastEcall();
            assertEquals(ExitReason.TRAP, h.run(1000));
            assertEquals(2, h.trapCause);
            assertEquals(0, h.trapTval);
            assertEquals(3, h.x[10]);
            long pc = h.pc;
            assertEquals(BASE + 4L * 3, pc); // li a7, ecall, addi, then the zero word
            // a load fault from U keeps cause and address
            m.put(BASE, new TestMachine.Code().li(1, 0x10).add(ld(2, 1, 0)).build());
            h.pc = BASE;
            h.flushDecodeCache();
            assertEquals(ExitReason.TRAP, h.run(1000));
            assertEquals(5, h.trapCause);
            assertEquals(0x10, h.trapTval);
            // ebreak is a TRAP (SIGTRAP) too; FP is usable from the start
            m.put(BASE, new TestMachine.Code().add(fp(0x1e, 1, 1, 0, 0, 0), EBREAK).build());
            h.pc = BASE;
            h.flushDecodeCache();
            assertEquals(ExitReason.TRAP, h.run(1000));
            assertEquals(3, h.trapCause);
            assertEquals(0, h.mcause, "nothing reached M");
        }
    }

    @Test
    void internalErrorsNeverEscape() {
        try (TestMachine m = new TestMachine()) {
            m.put(BASE, jal(0, 0));
            // a hart wired without a clock: the first timer check fails inside run(), which must end
            // with INTERNAL_ERROR (and a message) instead of throwing
            Hart broken = new Hart(3, new hv.memory.Mmu(m.memory, 3), null, HartConfig.firmware()); // no clock
            broken.reset(BASE, Hart.PRIV_M);
            broken.link().setMachineTimerCompare(5); // the timer check needs the (missing) clock
            assertEquals(ExitReason.INTERNAL_ERROR, broken.run(1000));
            assertTrue(broken.internalError.contains("NullPointerException"), broken.internalError);
        }
    }
}
