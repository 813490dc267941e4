package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.platform.HartLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traps, delegation, xRET, interrupts and their priority, WFI, TVM/TW/TSR (privileged spec 1.12,
 * chapter 3 and 4). Code regions: main at BASE, U code at USER, S code at SUP, M trap handler at
 * MTRAP and S trap handler at STRAP; handlers are an ebreak, which exits the run (debugger
 * attached), so the test inspects the state the trap produced.
 */
class PrivilegedTest {
    static final long BASE = TestMachine.BASE, USER = BASE + 0x400, SUP = BASE + 0x600, MTRAP = BASE + 0x800,
            STRAP = BASE + 0xa00;
    static final int MSTATUS = 0x300, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305, MEPC = 0x341,
            MIP = 0x344, SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SEPC = 0x141, SATP = 0x180, MCOUNTEREN = 0x306,
            SCOUNTEREN = 0x106, MENVCFG = 0x30a, STIMECMP = 0x14d;
    static final long MIE_BIT = 1 << 3, SIE_BIT = 1 << 1, MPIE = 1 << 7, SPIE = 1 << 5, MPP = 3 << 11, SPP = 1 << 8;

    TestMachine m;
    Hart h;

    @BeforeEach
    void up() {
        m = new TestMachine();
        h = m.hart;
        m.put(MTRAP, EBREAK);
        m.put(STRAP, EBREAK);
    }

    @AfterEach
    void down() {
        m.close();
    }

    /** Code that sets mtvec/stvec to the handlers. */
    static TestMachine.Code vectors() {
        return new TestMachine.Code().li(5, MTRAP).add(csrw(MTVEC, 5)).li(5, STRAP).add(csrw(STVEC, 5));
    }

    /** Code that enters privilege {@code priv} at {@code target} via mret. */
    static TestMachine.Code enter(TestMachine.Code c, int priv, long target) {
        return c.li(5, target).add(csrw(MEPC, 5)).li(5, MPP).add(csrrc(0, MSTATUS, 5)).li(5, (long) priv << 11)
                .add(csrrs(0, MSTATUS, 5), MRET);
    }

    ExitReason start(TestMachine.Code main) {
        m.put(BASE, main.build());
        h.reset(BASE, Hart.PRIV_M);
        return h.run(100_000);
    }

    @Test
    void illegalInstructionInMachineModeTrapsToM() {
        assertEquals(ExitReason.BREAKPOINT, start(vectors().li(5, MIE_BIT).add(csrrs(0, MSTATUS, 5), 0xffffffff)));
        assertEquals(MTRAP, h.pc);
        assertEquals(Hart.PRIV_M, h.priv);
        assertEquals(2, h.mcause);
        assertEquals(0xffffffffL, h.mtval); // the instruction bits
        assertEquals(Hart.PRIV_M, (h.mstatus & MPP) >>> 11);
        assertEquals(MPIE, h.mstatus & MPIE); // old MIE
        assertEquals(0, h.mstatus & MIE_BIT);
        assertEquals(BASE + 4L * (vectors().size() + 2), h.mepc);
    }

    @Test
    void allZeroInstructionIsIllegalWithTvalZero() {
        assertEquals(ExitReason.BREAKPOINT, start(vectors().add(0)));
        assertEquals(2, h.mcause);
        assertEquals(0, h.mtval);
    }

    @Test
    void ecallFromUserGoesToMWithoutDelegation() {
        m.put(USER, ECALL);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_U, USER)));
        assertEquals(MTRAP, h.pc);
        assertEquals(8, h.mcause);
        assertEquals(USER, h.mepc);
        assertEquals(0, h.mstatus & MPP); // came from U
    }

    @Test
    void delegatedExceptionFromUserGoesToS() {
        m.put(USER, ECALL);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors().li(5, 1 << 8).add(csrw(MEDELEG, 5)), Hart.PRIV_U, USER)));
        assertEquals(STRAP, h.pc);
        assertEquals(Hart.PRIV_S, h.priv);
        assertEquals(8, h.scause);
        assertEquals(USER, h.sepc);
        assertEquals(0, h.mstatus & SPP);
        assertEquals(0, h.mcause);
    }

    @Test
    void exceptionsInMachineModeAreNeverDelegated() {
        assertEquals(ExitReason.BREAKPOINT, start(vectors().li(5, 0xb3ff).add(csrw(MEDELEG, 5), ECALL)));
        assertEquals(MTRAP, h.pc);
        assertEquals(11, h.mcause);
    }

    @Test
    void ecallFromSupervisorCause9AndSppIsS() {
        m.put(SUP, ECALL);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_S, SUP)));
        assertEquals(9, h.mcause);
        assertEquals((long) Hart.PRIV_S << 11, h.mstatus & MPP);
    }

    @Test
    void mretRestoresInterruptEnableAndClearsMprv() {
        // MPIE = 1, MIE = 0, MPRV = 1, MPP = S: after mret priv = S, MIE = 1, MPIE = 1, MPP = U, MPRV = 0
        m.put(SUP, EBREAK);
        TestMachine.Code c = vectors().li(5, MPIE | (1L << 17) | (1L << 11)).add(csrrs(0, MSTATUS, 5)).li(5, SUP)
                .add(csrw(MEPC, 5), MRET);
        assertEquals(ExitReason.BREAKPOINT, start(c));
        assertEquals(SUP, h.pc);
        assertEquals(Hart.PRIV_S, h.priv);
        assertEquals(MIE_BIT, h.mstatus & MIE_BIT);
        assertEquals(MPIE, h.mstatus & MPIE);
        assertEquals(0, h.mstatus & MPP);
        assertEquals(0, h.mstatus & (1L << 17));
    }

    @Test
    void sretTransitionsAndTsr() {
        // in S: set SPIE, SPP = U, sepc = USER, sret -> U with SIE = 1
        m.put(USER, EBREAK);
        m.put(SUP, new TestMachine.Code().li(6, SPIE).add(csrrs(0, SSTATUS, 6)).li(6, USER).add(csrw(SEPC, 6), SRET).build());
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_S, SUP)));
        assertEquals(USER, h.pc);
        assertEquals(Hart.PRIV_U, h.priv);
        assertEquals(SIE_BIT, h.mstatus & SIE_BIT);
        assertEquals(SPIE, h.mstatus & SPIE);
        // with TSR, sret in S is illegal
        m.put(SUP, SRET);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors().li(5, 1L << 22).add(csrrs(0, MSTATUS, 5)), Hart.PRIV_S, SUP)));
        assertEquals(2, h.mcause);
        assertEquals(SRET & 0xffffffffL, h.mtval);
        // sret and mret in U are illegal
        m.put(USER, SRET);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_U, USER)));
        assertEquals(2, h.mcause);
        m.put(USER, MRET);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_U, USER)));
        assertEquals(2, h.mcause);
        assertEquals(MRET & 0xffffffffL, h.mtval);
    }

    @Test
    void tvmMakesSatpAndSfenceIllegalInS() {
        for (int insn : new int[] {csrr(6, SATP), sfenceVma(0, 0)}) {
            m.put(SUP, insn);
            m.put(SUP + 4, EBREAK);
            assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_S, SUP)));
            assertEquals(SUP + 4, h.pc, "allowed without TVM");
            assertEquals(ExitReason.BREAKPOINT, start(enter(vectors().li(5, 1L << 20).add(csrrs(0, MSTATUS, 5)), Hart.PRIV_S, SUP)));
            assertEquals(MTRAP, h.pc);
            assertEquals(2, h.mcause);
            assertEquals(insn & 0xffffffffL, h.mtval);
        }
    }

    @Test
    void wfiTrapConditions() {
        m.put(USER, WFI);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors(), Hart.PRIV_U, USER)));
        assertEquals(2, h.mcause); // WFI in U is illegal
        m.put(SUP, WFI);
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors().li(5, 1L << 21).add(csrrs(0, MSTATUS, 5)), Hart.PRIV_S, SUP)));
        assertEquals(2, h.mcause); // TW
    }

    @Test
    void vectoredTimerInterrupt() {
        m.put(MTRAP + 4 * 7, EBREAK);
        m.clock.now = 1000;
        h.link().setMachineTimerCompare(500);
        TestMachine.Code c = vectors().li(5, MTRAP | 1).add(csrw(MTVEC, 5)).li(5, 1 << 7).add(csrw(MIE, 5))
                .li(5, MIE_BIT).add(csrrs(0, MSTATUS, 5), addi(7, 0, 1), jal(0, 0));
        m.put(BASE, c.build());
        h.reset(BASE, Hart.PRIV_M);
        h.link().setMachineTimerCompare(500);
        assertEquals(ExitReason.BREAKPOINT, h.run(100_000));
        assertEquals(MTRAP + 4 * 7, h.pc);
        assertEquals(Long.MIN_VALUE | 7, h.mcause);
        // exceptions in vectored mode still go to the base
        assertEquals(ExitReason.BREAKPOINT, start(vectors().li(5, MTRAP | 1).add(csrw(MTVEC, 5), ECALL)));
        assertEquals(MTRAP, h.pc);
    }

    /** Pending bits (via the link and mip), all enabled in mie, MIE on in M-mode: which cause is taken? */
    private long takenCause(int... bits) {
        h.reset(BASE, Hart.PRIV_M);
        long soft = 0;
        m.clock.now = 0;
        for (int b : bits) {
            if (b == HartLink.MTIP) {
                m.clock.now = 10;
            } else if (b == HartLink.SSIP || b == HartLink.STIP) {
                soft |= 1L << b;
            }
        }
        TestMachine.Code c = vectors().li(5, soft).add(csrw(MIP, 5)).li(5, 0xaaa).add(csrw(MIE, 5)).li(5, MIE_BIT)
                .add(csrrs(0, MSTATUS, 5), jal(0, 0));
        m.put(BASE, c.build());
        h.reset(BASE, Hart.PRIV_M);
        for (int b : new int[] {HartLink.MSIP, HartLink.MEIP, HartLink.SEIP}) {
            h.link().setInterruptPending(b, false);
        }
        for (int b : bits) {
            if (b == HartLink.MSIP || b == HartLink.MEIP || b == HartLink.SEIP) {
                h.link().setInterruptPending(b, true);
            }
        }
        h.link().setMachineTimerCompare(m.clock.now == 10 ? 5 : -1);
        assertEquals(ExitReason.BREAKPOINT, h.run(100_000));
        assertTrue(h.mcause < 0, "an interrupt");
        return h.mcause & 63;
    }

    @Test
    void interruptPriorityOrder() {
        assertEquals(HartLink.MEIP, takenCause(HartLink.MEIP, HartLink.MSIP, HartLink.MTIP, HartLink.SEIP, HartLink.SSIP, HartLink.STIP));
        assertEquals(HartLink.MSIP, takenCause(HartLink.MSIP, HartLink.MTIP, HartLink.SEIP, HartLink.SSIP, HartLink.STIP));
        assertEquals(HartLink.MTIP, takenCause(HartLink.MTIP, HartLink.SEIP, HartLink.SSIP, HartLink.STIP));
        assertEquals(HartLink.SEIP, takenCause(HartLink.SEIP, HartLink.SSIP, HartLink.STIP));
        assertEquals(HartLink.SSIP, takenCause(HartLink.SSIP, HartLink.STIP));
        assertEquals(HartLink.STIP, takenCause(HartLink.STIP));
    }

    @Test
    void delegatedInterruptIsTakenInSFromUButNotInM() {
        // SSIP pending and delegated, SSIE enabled; SIE off. In M: nothing happens (S < M), reach ebreak.
        m.put(USER, jal(0, 0));
        TestMachine.Code c = vectors().li(5, 1 << 1).add(csrw(MIDELEG, 5), csrw(MIE, 5), csrw(MIP, 5), addi(7, 0, 7), EBREAK);
        assertEquals(ExitReason.BREAKPOINT, start(c));
        assertEquals(7, h.x[7]);
        assertEquals(0, h.scause);
        // In U, an S interrupt is taken regardless of sstatus.SIE
        TestMachine.Code u = enter(vectors().li(5, 1 << 1).add(csrw(MIDELEG, 5), csrw(MIE, 5), csrw(MIP, 5)), Hart.PRIV_U, USER);
        assertEquals(ExitReason.BREAKPOINT, start(u));
        assertEquals(STRAP, h.pc);
        assertEquals(Long.MIN_VALUE | 1, h.scause);
        assertEquals(USER, h.sepc);
        assertEquals(Hart.PRIV_S, h.priv);
    }

    @Test
    void wfiExitsAndAnotherThreadWakesIt() throws Exception {
        // enable MEIE but keep MIE off: WFI must wake, then execution continues after it
        TestMachine.Code c = vectors().li(5, 1 << 11).add(csrw(MIE, 5), WFI, addi(7, 0, 42), EBREAK);
        m.put(BASE, c.build());
        h.reset(BASE, Hart.PRIV_M);
        assertEquals(ExitReason.WFI, h.run(100_000));
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            h.link().setInterruptPending(HartLink.MEIP, true);
        });
        long t0 = System.nanoTime();
        h.awaitInterrupt(10_000_000_000L);
        long waited = System.nanoTime() - t0;
        t.join();
        assertTrue(waited >= 30_000_000L && waited < 5_000_000_000L, "woke after " + waited + " ns");
        assertEquals(ExitReason.BREAKPOINT, h.run(100_000));
        assertEquals(42, h.x[7]);
    }

    @Test
    void awaitInterruptWakesAtTheTimerDeadline() {
        BareMetal.HostClock clock = new BareMetal.HostClock();
        Hart th = new Hart(1, new hv.memory.Mmu(m.memory, 1), clock, HartConfig.firmware());
        th.mie = 1 << HartLink.MTIP;
        th.link().setMachineTimerCompare(clock.mtime() + 200_000); // 20 ms at 10 MHz
        long t0 = System.nanoTime();
        th.awaitInterrupt(5_000_000_000L);
        long waited = System.nanoTime() - t0;
        assertTrue(waited >= 15_000_000L && waited < 2_000_000_000L, "waited " + waited);
    }

    @Test
    void kickMakesRunReturn() throws Exception {
        m.put(BASE, jal(0, 0));
        h.reset(BASE, Hart.PRIV_M);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            h.kick();
        });
        assertEquals(ExitReason.BUDGET, h.run(Long.MAX_VALUE));
        t.join();
        assertTrue(h.exitCount(ExitReason.BUDGET) >= 1);
    }

    @Test
    void budgetBoundsAnInfiniteLoop() {
        m.put(BASE, jal(0, 0));
        h.reset(BASE, Hart.PRIV_M);
        long before = h.retired;
        assertEquals(ExitReason.BUDGET, h.run(10_000));
        long ran = h.retired - before;
        assertTrue(ran >= 10_000 && ran < 20_000, "ran " + ran);
    }

    @Test
    void sstcTimerInterruptToS() {
        // M: delegate STI, enable Sstc and TM; S: stimecmp = 100, STIE + SIE, spin. Clock at 200 -> STIP.
        m.put(SUP, new TestMachine.Code().li(6, 100).add(csrw(STIMECMP, 6)).li(6, 1 << 5).add(csrw(SIE, 6)).li(6, SIE_BIT)
                .add(csrrs(0, SSTATUS, 6), jal(0, 0)).build());
        TestMachine.Code c = vectors().li(5, 1 << 5).add(csrw(MIDELEG, 5)).li(5, 2).add(csrw(MCOUNTEREN, 5))
                .li(5, 1L << 63).add(csrw(MENVCFG, 5));
        m.clock.now = 200;
        assertEquals(ExitReason.BREAKPOINT, start(enter(c, Hart.PRIV_S, SUP)));
        assertEquals(STRAP, h.pc);
        assertEquals(Long.MIN_VALUE | 5, h.scause);
        // without STCE, stimecmp is illegal in S
        m.put(SUP, csrw(STIMECMP, 0));
        assertEquals(ExitReason.BREAKPOINT, start(enter(vectors().li(5, 2).add(csrw(MCOUNTEREN, 5)), Hart.PRIV_S, SUP)));
        assertEquals(MTRAP, h.pc);
        assertEquals(2, h.mcause);
    }

    @Test
    void sstcStipFollowsTheComparatorAndIsReadOnlyInMip() {
        m.clock.now = 50;
        TestMachine.Code c = vectors().li(5, 1L << 63).add(csrw(MENVCFG, 5)).li(5, 100).add(csrw(STIMECMP, 5), csrr(6, MIP))
                .li(5, 1 << 5).add(csrrs(0, MIP, 5), csrr(7, MIP)).li(5, 10).add(csrw(STIMECMP, 5), csrr(8, MIP));
        assertEquals(ExitReason.BREAKPOINT, start(c.add(EBREAK)));
        assertEquals(0, h.x[6] & (1 << 5));
        assertEquals(0, h.x[7] & (1 << 5), "STIP not writable with STCE");
        assertEquals(1 << 5, h.x[8] & (1 << 5));
    }
}
