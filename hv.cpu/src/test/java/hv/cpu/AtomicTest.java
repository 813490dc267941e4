package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The A extension: every AMO in W and D form, LR/SC, misaligned faults, and atomicity across host threads. */
class AtomicTest {
    static final long BASE = TestMachine.BASE, D = TestMachine.DATA, MTRAP = BASE + 0x800;
    static final int SWAP = 0x01, ADD = 0x00, XOR = 0x04, AND = 0x0c, OR = 0x08, MIN = 0x10, MAX = 0x14, MINU = 0x18,
            MAXU = 0x1c;

    TestMachine m;

    @BeforeEach
    void up() {
        m = new TestMachine();
        m.put(MTRAP, EBREAK);
    }

    @AfterEach
    void down() {
        m.close();
    }

    /** mem[D] = old; amo x3, x2, (x1) with x2 = src; returns {x3, new mem}. */
    long[] amo(int funct5, boolean dword, long old, long src) {
        m.store64(D, old);
        Hart h = m.exec(new TestMachine.Code().li(1, D).li(2, src).add(Asm.amo(funct5, dword, 3, 1, 2)).build());
        return new long[] {h.x[3], m.load64(D)};
    }

    static long lo(long v) {
        return v & 0xffff_ffffL;
    }

    @Test
    void doublewordAmos() {
        long a = 0x8000_0000_0000_0005L, b = 7;
        assertEquals(a, amo(SWAP, true, a, b)[0]);
        assertEquals(b, amo(SWAP, true, a, b)[1]);
        assertEquals(a + b, amo(ADD, true, a, b)[1]);
        assertEquals(a ^ b, amo(XOR, true, a, b)[1]);
        assertEquals(a & b, amo(AND, true, a, b)[1]);
        assertEquals(a | b, amo(OR, true, a, b)[1]);
        assertEquals(a, amo(MIN, true, a, b)[1]);
        assertEquals(b, amo(MAX, true, a, b)[1]);
        assertEquals(b, amo(MINU, true, a, b)[1]);
        assertEquals(a, amo(MAXU, true, a, b)[1]);
    }

    @Test
    void wordAmosSignExtendAndLeaveTheUpperWordAlone() {
        long mem = 0x1234_5678_8000_0005L;
        long[] r = amo(ADD, false, mem, 0x1_0000_0001L); // only the low 32 bits of rs2 count
        assertEquals((int) 0x8000_0005, r[0]); // old value sign-extended
        assertEquals(0x1234_5678_8000_0006L, r[1]);
        assertEquals(0x1234_5678_0000_0009L, amo(SWAP, false, mem, 9)[1]);
        assertEquals(lo(0x8000_0005L), lo(amo(MIN, false, mem, 7)[1])); // signed: 0x80000005 is negative
        assertEquals(7, lo(amo(MINU, false, mem, 7)[1]));
        assertEquals(7, lo(amo(MAX, false, mem, 7)[1]));
        assertEquals(lo(0x8000_0005L), lo(amo(MAXU, false, mem, 7)[1]));
        assertEquals(lo(0x8000_0005L ^ 0xff), lo(amo(XOR, false, mem, 0xff)[1]));
        assertEquals(5, lo(amo(AND, false, mem, 0xff)[1]));
        assertEquals(lo(0x8000_00ffL), lo(amo(OR, false, mem, 0xff)[1]));
    }

    @Test
    void lrScSucceedsOnceAndFailsWithoutReservation() {
        m.store64(D, 41);
        Hart h = m.exec(new TestMachine.Code().li(1, D).li(2, 100).add(lr(true, 3, 1), addi(3, 3, 1), sc(true, 4, 1, 3),
                sc(true, 5, 1, 2)).build());
        assertEquals(41, h.x[3] - 1);
        assertEquals(0, h.x[4], "first SC succeeds");
        assertEquals(1, h.x[5], "second SC has no reservation");
        assertEquals(42, m.load64(D));
        // SC to a different address than the LR fails
        Hart h2 = m.exec(new TestMachine.Code().li(1, D).add(lr(false, 3, 1), addi(6, 1, 8), sc(false, 4, 6, 3)).build());
        assertEquals(1, h2.x[4]);
    }

    @Test
    void scFailsWhenAnotherHartWroteTheReservedWord() {
        Hart a = m.hart;
        Hart b = m.addHart(1, HartConfig.firmware());
        m.store64(D, 5);
        long codeA = BASE, codeB = BASE + 0x200;
        m.put(codeA, new TestMachine.Code().li(1, D).add(lr(true, 3, 1), EBREAK, addi(3, 3, 1), sc(true, 4, 1, 3), EBREAK).build());
        m.put(codeB, new TestMachine.Code().li(1, D).li(2, 6).add(sd(2, 1, 0), EBREAK).build());
        a.reset(codeA, Hart.PRIV_M);
        b.reset(codeB, Hart.PRIV_M);
        assertEquals(ExitReason.BREAKPOINT, a.run(1000)); // after LR
        a.pc += 4;
        assertEquals(ExitReason.BREAKPOINT, b.run(1000)); // B stores 6
        assertEquals(ExitReason.BREAKPOINT, a.run(1000)); // SC
        assertEquals(1, a.x[4], "SC must fail");
        assertEquals(6, m.load64(D));
    }

    @Test
    void misalignedAtomicsFault() {
        m.exec(new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).li(1, D + 4).add(lr(true, 3, 1)).build());
        assertEquals(4, m.hart.mcause, "LR: load address misaligned");
        assertEquals(D + 4, m.hart.mtval);
        m.exec(new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).li(1, D + 2).add(sc(false, 3, 1, 0)).build());
        assertEquals(6, m.hart.mcause, "SC: store/AMO address misaligned");
        m.exec(new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).li(1, D + 1).add(Asm.amo(ADD, false, 3, 1, 0)).build());
        assertEquals(6, m.hart.mcause);
        assertEquals(D + 1, m.hart.mtval);
        m.exec(new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).li(1, 0x1000).add(Asm.amo(ADD, true, 3, 1, 0)).build());
        assertEquals(7, m.hart.mcause, "AMO outside RAM: store/AMO access fault");
    }

    @Test
    void twoHartsOnTwoThreadsCountExactly() throws Exception {
        final int iterations = 20_000;
        Hart a = m.hart;
        Hart b = m.addHart(1, HartConfig.firmware());
        // per hart: `iterations` times an LR/SC increment of D and an amoadd.d of D+8, then ebreak
        TestMachine.Code c = new TestMachine.Code().li(1, D).li(9, iterations).li(8, 1);
        int loop = c.size();
        c.add(lr(true, 3, 1), addi(3, 3, 1), sc(true, 4, 1, 3), bne(4, 0, -12)); // retry until SC succeeds
        c.add(addi(6, 1, 8), Asm.amo(ADD, true, 0, 6, 8), addi(9, 9, -1));
        c.add(bne(9, 0, -4 * (c.size() - loop)), EBREAK);
        m.put(BASE, c.build());
        m.store64(D, 0);
        m.store64(D + 8, 0);
        a.reset(BASE, Hart.PRIV_M);
        b.reset(BASE, Hart.PRIV_M);
        ExitReason[] results = new ExitReason[2];
        Thread ta = Thread.ofPlatform().start(() -> results[0] = runToEnd(a));
        Thread tb = Thread.ofPlatform().start(() -> results[1] = runToEnd(b));
        ta.join();
        tb.join();
        assertEquals(ExitReason.BREAKPOINT, results[0]);
        assertEquals(ExitReason.BREAKPOINT, results[1]);
        assertEquals(2L * iterations, m.load64(D), "LR/SC increments");
        assertEquals(2L * iterations, m.load64(D + 8), "amoadd increments");
    }

    private static ExitReason runToEnd(Hart h) {
        for (int i = 0; i < 10_000; i++) {
            ExitReason r = h.run(1_000); // small budgets interleave the two harts more
            if (r != ExitReason.BUDGET) {
                return r;
            }
        }
        return ExitReason.BUDGET;
    }
}
