package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The translator (Jit, RegionScanner, RegionEmitter, CompiledRegion, RegionRuntime): every program
 * runs once on the interpreter alone and once with every block translated at once, and the two
 * harts must end in exactly the same state (registers, pc, trap CSRs, retired count, memory).
 */
class JitTest {
    private static final HartConfig INTERPRETER = HartConfig.firmware().withJitThreshold(0);
    private static final HartConfig FORCED = HartConfig.firmware().withJitThreshold(1);
    private static final int MTVEC = 0x305, MINSTRET = 0xb02;

    /**
     * Runs code (at BASE, then ebreak) on the interpreter and on two JIT harts (loads/stores as helper
     * calls, and inline); returns the first JIT hart's machine after checking all three agree.
     */
    private static TestMachine both(int[] code, Consumer<Hart> tune) {
        TestMachine interp = new TestMachine(INTERPRETER);
        TestMachine jit = new TestMachine(FORCED);
        try (interp; TestMachine inline = new TestMachine(FORCED)) {
            tune.accept(jit.hart);
            tune.accept(inline.hart);
            inline.hart.jit.inlineMemory = true;
            interp.exec(code);
            jit.exec(code);
            inline.exec(code);
            assertSameState(interp, jit);
            assertSameState(interp, inline);
        } catch (RuntimeException | Error e) {
            jit.close();
            throw e;
        }
        return jit;
    }

    private static TestMachine both(int... code) {
        return both(code, h -> { });
    }

    private static void assertSameState(TestMachine a, TestMachine b) {
        String where = b.hart.statsLine();
        assertArrayEquals(a.hart.x, b.hart.x, () -> "x registers; " + where);
        assertArrayEquals(a.hart.f, b.hart.f, () -> "f registers; " + where);
        assertEquals(a.hart.pc, b.hart.pc, "pc");
        assertEquals(a.hart.retired, b.hart.retired, "retired instructions");
        assertEquals(a.hart.mepc, b.hart.mepc, "mepc");
        assertEquals(a.hart.mcause, b.hart.mcause, "mcause");
        assertEquals(a.hart.mtval, b.hart.mtval, "mtval");
        assertEquals(a.hart.mstatus, b.hart.mstatus, "mstatus");
        byte[] da = new byte[4096], db = new byte[4096];
        a.ram.read(TestMachine.DATA, da);
        b.ram.read(TestMachine.DATA, db);
        assertArrayEquals(da, db, "data page");
    }

    @Test
    void loopRunsInsideATranslatedRegion() {
        try (TestMachine m = both(addi(1, 0, 100), addi(2, 0, 0), add(2, 2, 1), addi(1, 1, -1), bne(1, 0, -8))) {
            assertEquals(5050, m.hart.x[2]);
            assertEquals(302, m.hart.retired); // 2 + 100 * 3, then the ebreak that exits (not retired)
            assertTrue(m.hart.jit.regions > 0, m.hart.statsLine());
            assertTrue(m.hart.jit.entries > 0, m.hart.statsLine());
        }
    }

    @Test
    void aluLoadsStoresAndCountersAgreeWithTheInterpreter() {
        TestMachine.Code c = new TestMachine.Code().li(10, TestMachine.DATA).li(1, 50).li(3, 0x1234_5678_9abc_def0L);
        int loop = c.size();
        c.add(sd(3, 10, 0), lw(4, 10, 4), lbu(5, 10, 1), lh(6, 10, 2), lhu(7, 10, 6), lwu(8, 10, 0), lb(9, 10, 7),
                sb(1, 10, 16), sh(3, 10, 18), sw(3, 10, 20), ld(11, 10, 16), mop(0, 12, 3, 1), mop(4, 13, 3, 1),
                mop(6, 14, 3, 1), mopw(5, 15, 3, 1), sltu(16, 3, 1), slt(17, 3, 1), sraiw(18, 3, 7), srlw(19, 3, 1),
                xori(3, 3, 0x5a5), slli(20, 3, 13), srai(21, 3, 3), add(3, 3, 20), sub(22, 3, 21), auipc(23, 0x12),
                addiw(24, 3, -7), sltiu(25, 3, 100));
        c.add(addi(1, 1, -1), bne(1, 0, -4 * (c.size() - loop + 1)));
        c.add(csrr(26, MINSTRET)); // a counter read after the region: exact
        try (TestMachine m = both(c.build())) {
            assertTrue(m.hart.jit.regions > 0);
        }
    }

    @Test
    void loadFaultInTheMiddleOfARegionIsPrecise() {
        // mtvec -> an ebreak at the end; a loop of loads, then a load from a hole in the address map
        TestMachine.Code c = new TestMachine.Code().li(10, TestMachine.DATA).li(11, 0x1000).li(1, 20);
        int setMtvec = c.size();
        c.add(0, 0); // placeholder for auipc/csrw
        int loop = c.size();
        c.add(ld(2, 10, 0), addi(3, 3, 1), addi(1, 1, -1), bne(1, 0, -12));
        int faulting = c.size() + 2;
        c.add(addi(4, 0, 7), addi(5, 4, 1), ld(6, 11, 0), addi(7, 0, 9), EBREAK);
        int handler = c.size();
        c.add(EBREAK);
        int[] code = c.build();
        code[setMtvec] = auipc(12, 0);
        code[setMtvec + 1] = csrw(MTVEC, 12);
        // mtvec = pc of the auipc + offset: patch with an addi between them instead
        code = insertAddi(code, setMtvec + 1, 12, 4 * (handler + 1 - setMtvec));
        try (TestMachine m = both(code)) {
            assertEquals(5, m.hart.mcause, "load access fault");
            assertEquals(TestMachine.BASE + 4L * (faulting + 1), m.hart.mepc, "the faulting load");
            assertEquals(8, m.hart.x[5], "instructions before the fault completed");
            assertEquals(0, m.hart.x[7], "instructions after the fault did not run");
        }
    }

    /** Inserts {@code addi rd, rd, imm} at position at (shifting the rest by one word). */
    private static int[] insertAddi(int[] code, int at, int rd, int imm) {
        int[] out = new int[code.length + 1];
        System.arraycopy(code, 0, out, 0, at);
        out[at] = addi(rd, rd, imm);
        System.arraycopy(code, at, out, at + 1, code.length - at);
        return out;
    }

    @Test
    void storeLoadAndFpuOffTrapsArePrecise() {
        for (int faultingWord : new int[] {sd(5, 11, 8), fld(1, 10, 0), lw(5, 11, 0)}) {
            TestMachine.Code c = new TestMachine.Code().li(10, TestMachine.DATA).li(11, 0x1000);
            int setMtvec = c.size();
            c.add(auipc(12, 0), csrw(MTVEC, 12));
            c.add(addi(4, 0, 7), sd(4, 10, 8), addi(5, 4, 1), faultingWord, addi(7, 0, 9), EBREAK);
            int handler = c.size();
            c.add(EBREAK);
            int[] code = insertAddi(c.build(), setMtvec + 1, 12, 4 * (handler + 1 - setMtvec));
            try (TestMachine m = both(code)) {
                assertTrue(m.hart.mcause == 7 || m.hart.mcause == 5 || m.hart.mcause == 2,
                        "store/load access fault or illegal instruction: " + m.hart.mcause);
                assertEquals(0, m.hart.x[7]);
                assertEquals(8, m.hart.x[5]);
            }
        }
    }

    @Test
    void codeStoredAndFencedIsExecutedNewNotStale() {
        TestMachine.Code c = new TestMachine.Code().li(1, 2).li(2, 0).li(3, addi(2, 2, 100));
        int auipcAt = c.size();
        c.add(auipc(4, 0), addi(4, 4, 0)); // x4 = address of P (patched below)
        int p = c.size();
        c.add(addi(2, 2, 1), sw(3, 4, 0), fenceI(), addi(1, 1, -1), bne(1, 0, -16));
        int[] code = c.build();
        code[auipcAt + 1] = addi(4, 4, 4 * (p - auipcAt));
        try (TestMachine m = both(code)) {
            assertEquals(101, m.hart.x[2], "the second pass ran the stored instruction");
        }
    }

    @Test
    @Timeout(20)
    void tightLoopExitsOnBudgetAndOnKickWithExactCounts() throws Exception {
        try (TestMachine m = new TestMachine(FORCED)) {
            m.put(TestMachine.BASE, addi(1, 1, 1), jal(0, -4));
            m.hart.reset(TestMachine.BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BUDGET, m.hart.run(100_000));
            long n = m.hart.retired;
            assertTrue(n >= 100_000 && n < 100_000 + 4096, "stopped near the budget: " + n);
            assertEquals(n, 2 * m.hart.x[1] + (m.hart.pc == TestMachine.BASE ? 0 : 1), "count matches the work done");
            assertTrue(m.hart.jitExits[RegionEmitter.EXIT_BACKEDGE] > 0, m.hart.statsLine());

            Thread kicker = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                m.hart.kick();
            });
            kicker.start();
            assertEquals(ExitReason.BUDGET, m.hart.run(Long.MAX_VALUE / 2), "a kick stops an endless translated loop");
            kicker.join();
            long k = m.hart.retired;
            assertEquals(k, 2 * m.hart.x[1] + (m.hart.pc == TestMachine.BASE ? 0 : 1));
        }
    }

    @Test
    void codeLongerThanTheSizeCapsBecomesSeveralRegions() {
        TestMachine.Code c = new TestMachine.Code().li(10, TestMachine.DATA);
        for (int i = 0; i < 600; i++) {
            int r = 11 + i % 20; // x11..x30: never the base register x10
            c.add(i % 3 == 0 ? ld(r, 10, 8 * (i % 32)) : i % 3 == 1 ? add(r, r, 11 + (i + 7) % 20) : sd(r, 10, 8 * (i % 40)));
        }
        int[] code = c.build();
        try (TestMachine m = both(code, h -> {
            h.jit.maxInstructions = 100;
            h.jit.shareRegions = false; // count this hart's own translations
        })) {
            assertTrue(m.hart.jit.regions >= 6, "600 instructions in regions of <= 100: " + m.hart.statsLine());
        }
        try (TestMachine m = both(code, h -> {
            h.jit.maxCodeBytes = 600;
            h.jit.shareRegions = false;
        })) {
            assertTrue(m.hart.jit.shrunk > 0, "regions over the bytecode cap were halved: " + m.hart.statsLine());
            assertTrue(m.hart.jit.regions >= 10, m.hart.statsLine());
        }
    }

    @Test
    void aSecondHartReusesTheRegionsOfTheFirst() {
        try (TestMachine m = new TestMachine(FORCED)) {
            int[] code = {addi(1, 0, 77), addi(2, 0, 0), add(2, 2, 1), addi(1, 1, -1), bne(1, 0, -8), EBREAK};
            m.put(TestMachine.BASE, code);
            Hart first = m.hart;
            Hart second = m.addHart(1, FORCED);
            SharedRegions shared = new SharedRegions();
            first.shareTranslations(shared);
            second.shareTranslations(shared);
            for (Hart h : new Hart[] {first, second}) {
                h.reset(TestMachine.BASE, Hart.PRIV_M);
                assertEquals(ExitReason.BREAKPOINT, h.run(1_000_000));
                assertEquals(77 * 78 / 2, h.x[2]);
            }
            assertTrue(second.jit.shared > 0, second.statsLine());
            assertEquals(second.jit.regions, second.jit.shared, "every region came from the first hart: " + second.statsLine());
        }
    }

    @Test
    void aRegionThatCannotBeDefinedIsInterpretedInstead() {
        int[] code = {addi(1, 0, 100), addi(2, 0, 0), add(2, 2, 1), addi(1, 1, -1), bne(1, 0, -8)};
        try (TestMachine m = both(code, h -> h.jit.classFileFilter = bytes -> Arrays.copyOf(bytes, bytes.length / 2))) {
            assertEquals(5050, m.hart.x[2]);
            assertEquals(0, m.hart.jit.regions);
            assertTrue(m.hart.jit.failures > 0, m.hart.statsLine());
        }
        try (TestMachine m = both(code, h -> h.jit.classFileFilter = bytes -> {
            throw new IllegalStateException("emitter bug");
        })) {
            assertEquals(5050, m.hart.x[2]);
            assertTrue(m.hart.jit.failures > 0, m.hart.statsLine());
        }
    }
}
