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
        assertEquals(a.hart.priv, b.hart.priv, "privilege");
        assertEquals(a.hart.sepc, b.hart.sepc, "sepc");
        assertEquals(a.hart.scause, b.hart.scause, "scause");
        assertEquals(a.hart.stval, b.hart.stval, "stval");
        assertEquals(a.hart.mscratch, b.hart.mscratch, "mscratch");
        assertEquals(a.hart.sscratch, b.hart.sscratch, "sscratch");
        assertEquals(a.hart.mie, b.hart.mie, "mie");
        assertEquals(a.hart.mipSoft, b.hart.mipSoft, "mip (software bits)");
        assertEquals(a.hart.mmu().satp(), b.hart.mmu().satp(), "satp");
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

    // ---- CSR instructions inside regions ----

    private static final int MSTATUS = 0x300, MIDELEG = 0x303, MIE = 0x304, MEPC = 0x341, MSCRATCH = 0x340, MIP = 0x344,
            FFLAGS = 0x001, CYCLE = 0xc00, INSTRET = 0xc02, SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SSCRATCH = 0x140,
            SIP = 0x144, SATP = 0x180;
    /** Offsets from BASE of the code entered by mret, the M trap handler and the S trap handler (each an ebreak). */
    private static final int LOWER = 0x400, MTRAP = 0x800, STRAP = 0xa00;

    /**
     * A program of main (at BASE, which must be shorter than LOWER), code for a lower privilege at
     * LOWER, and ebreak handlers at MTRAP and STRAP (main sets mtvec and stvec to them first).
     */
    private static int[] program(TestMachine.Code main, int[] lower) {
        TestMachine.Code start = new TestMachine.Code().li(5, TestMachine.BASE + MTRAP).add(csrw(MTVEC, 5))
                .li(5, TestMachine.BASE + STRAP).add(csrw(STVEC, 5));
        int[] head = start.add(main.build()).build();
        int[] code = new int[MTRAP / 4 + 0x300 / 4];
        Arrays.fill(code, addi(0, 0, 0));
        assertTrue(head.length * 4 < LOWER && lower.length * 4 < MTRAP - LOWER);
        System.arraycopy(head, 0, code, 0, head.length);
        code[head.length] = EBREAK;
        System.arraycopy(lower, 0, code, LOWER / 4, lower.length);
        code[MTRAP / 4] = EBREAK;
        code[STRAP / 4] = EBREAK;
        return code;
    }

    /** Main code that drops to privilege {@code priv} at LOWER via mret. */
    private static TestMachine.Code enter(TestMachine.Code c, int priv) {
        return c.li(5, TestMachine.BASE + LOWER).add(csrw(MEPC, 5)).li(5, 3 << 11).add(csrrc(0, MSTATUS, 5))
                .li(5, (long) priv << 11).add(csrrs(0, MSTATUS, 5), MRET);
    }

    @Test
    void csrReadsAndWritesInALoopStayInsideTheRegion() {
        TestMachine.Code c = new TestMachine.Code().li(1, 60).li(6, 1L << 13).add(csrrs(0, MSTATUS, 6)); // FS = Initial
        int loop = c.size();
        c.add(csrrw(2, MSCRATCH, 1), addi(9, 9, 3), csrr(3, INSTRET), add(9, 9, 3), csrr(4, MSTATUS), csrrwi(7, FFLAGS, 3),
                csrr(8, CYCLE), csrrs(11, MSTATUS, 0), csrrci(12, MSTATUS, 0), csrrs(13, MIE, 0), xor(9, 9, 8),
                csrrw(14, SSCRATCH, 9), csrrsi(0, MIE, 2), // a checked write that enables nothing pending: no exit
                addi(1, 1, -1), bne(1, 0, -4 * (c.size() + 14 - loop)));
        c.add(csrr(15, INSTRET), csrr(16, MSCRATCH), csrr(17, SSCRATCH));
        try (TestMachine m = both(c.build(), h -> h.jit.shareRegions = false)) {
            assertEquals(1, m.hart.x[16], "mscratch holds the last loop counter");
            assertEquals(0, m.hart.jitExits[RegionEmitter.EXIT_CSR], m.hart.statsLine());
            // 60 iterations of 15 instructions, 13 of them CSR accesses, in one region entry (a CSR
            // that ended the region would make every iteration at least one entry)
            assertTrue(m.hart.jit.entries < 20, "the loop ran inside a region: " + m.hart.statsLine());
        }
    }

    @Test
    void illegalCsrInsideARegionTrapsPrecisely() {
        TestMachine.Code c = new TestMachine.Code().add(addi(4, 0, 7), csrr(5, MSCRATCH), addi(5, 4, 1), csrr(6, 0x7c0),
                addi(7, 0, 9));
        int[] code = program(c, new int[0]);
        int faulting = code.length; // found below
        for (int i = 0; i < code.length; i++) {
            if (code[i] == csrr(6, 0x7c0)) {
                faulting = i;
            }
        }
        try (TestMachine m = both(code)) {
            assertEquals(2, m.hart.mcause, "illegal instruction");
            assertEquals(TestMachine.BASE + 4L * faulting, m.hart.mepc, "the csrr of a CSR that does not exist");
            assertEquals(csrr(6, 0x7c0) & 0xffff_ffffL, m.hart.mtval, "mtval: the instruction");
            assertEquals(8, m.hart.x[5]);
            assertEquals(0, m.hart.x[7], "nothing after the fault ran");
            assertEquals(TestMachine.BASE + MTRAP, m.hart.pc);
        }
    }

    @Test
    void machineCsrFromSupervisorModeTrapsPrecisely() {
        int[] lower = {addi(4, 0, 7), csrrw(5, SSCRATCH, 4), addi(5, 4, 1), csrr(6, MSCRATCH), addi(7, 0, 9), EBREAK};
        try (TestMachine m = both(program(enter(new TestMachine.Code(), Hart.PRIV_S), lower))) {
            assertEquals(2, m.hart.mcause, "illegal instruction: S reads an M CSR");
            assertEquals(TestMachine.BASE + LOWER + 12, m.hart.mepc);
            assertEquals(Hart.PRIV_M, m.hart.priv);
            assertEquals(7, m.hart.sscratch);
            assertEquals(8, m.hart.x[5]);
            assertEquals(0, m.hart.x[7]);
        }
    }

    @Test
    void mstatusWriteThatEnablesAPendingInterruptEndsTheRegionBeforeTheNextInstruction() {
        // SSIP enabled in mie and made pending (not delegated: an M-level interrupt), still masked by
        // mstatus.MIE = 0; the csrsi that sets MIE must trap before the addi after it.
        TestMachine.Code c = new TestMachine.Code().li(6, 2).add(addi(4, 0, 7), csrrs(0, MIE, 6), csrrs(0, MIP, 6),
                addi(4, 4, 1), csrrsi(0, MSTATUS, 8), addi(7, 0, 9), addi(8, 0, 10));
        int[] code = program(c, new int[0]);
        int after = 0;
        for (int i = 0; i < code.length; i++) {
            if (code[i] == addi(7, 0, 9)) {
                after = i;
            }
        }
        try (TestMachine m = both(code)) {
            assertEquals(Long.MIN_VALUE | 1, m.hart.mcause, "supervisor software interrupt, taken in M");
            assertEquals(TestMachine.BASE + 4L * after, m.hart.mepc, "taken right after the csrsi");
            assertEquals(8, m.hart.x[4]);
            assertEquals(0, m.hart.x[7]);
            assertTrue(m.hart.jitExits[RegionEmitter.EXIT_CSR] > 0, m.hart.statsLine());
        }
    }

    @Test
    void sstatusWriteInSupervisorModeThatEnablesAPendingInterruptTakesIt() {
        TestMachine.Code main = new TestMachine.Code().li(6, 2).add(csrw(MIDELEG, 6));
        int[] lower = {addi(4, 0, 7), csrrs(0, SIE, 6), csrrs(0, SIP, 6), csrrw(0, SSCRATCH, 4), addi(4, 4, 1),
                csrrsi(0, SSTATUS, 2), addi(7, 0, 9), addi(8, 0, 10), EBREAK};
        try (TestMachine m = both(program(enter(main, Hart.PRIV_S), lower))) {
            assertEquals(Long.MIN_VALUE | 1, m.hart.scause, "supervisor software interrupt, delegated to S");
            assertEquals(TestMachine.BASE + LOWER + 24, m.hart.sepc, "taken right after the csrsi");
            assertEquals(TestMachine.BASE + STRAP, m.hart.pc);
            assertEquals(8, m.hart.x[4]);
            assertEquals(0, m.hart.x[7]);
        }
    }

    @Test
    void satpWritesInsideALoopAgreeWithTheInterpreter() {
        long sv39 = (8L << 60) | 0x8_0123L;
        TestMachine.Code c = new TestMachine.Code().li(1, 5).li(2, sv39);
        int loop = c.size();
        c.add(csrw(SATP, 2), csrr(3, SATP), add(9, 9, 3), csrw(SATP, 0), csrr(4, SATP), add(9, 9, 4), addi(1, 1, -1),
                bne(1, 0, -4 * 7));
        try (TestMachine m = both(c.build())) {
            assertEquals(5 * sv39, m.hart.x[9], "each read saw the write before it");
            assertEquals(0, m.hart.mmu().satp());
        }
    }

    // ---- chaining: a region exits to a translated region of another page without the loop ----

    /** Word index of A (in the first page) and B (in the second) in {@link #twoPageLoop}. */
    private static final int A = 0xf00 / 4, B = 0x1100 / 4;

    /**
     * x1 iterations (x1 = 0: endless) of a loop split over two pages: A (first page) counts x2 and
     * jumps to B (second page), which counts x3 and branches back to A. Each iteration is two region
     * exits to the other page. Words before A set up x1 (and {@code prologue}), then jump to A.
     */
    private static int[] twoPageLoop(long iterations, int[] prologue, int[] atB) {
        int[] code = new int[B + 16];
        Arrays.fill(code, addi(0, 0, 0));
        int[] head = new TestMachine.Code().li(1, iterations).add(prologue).build();
        System.arraycopy(head, 0, code, 0, head.length);
        code[head.length] = jal(0, 4 * (A - head.length));
        code[A] = addi(2, 2, 1);
        code[A + 1] = jal(0, 4 * (B - A - 1));
        System.arraycopy(atB, 0, code, B, atB.length);
        int at = B + atB.length;
        code[at] = addi(3, 3, 1);
        code[at + 1] = addi(1, 1, -1);
        code[at + 2] = bne(1, 0, 4 * (A - at - 2));
        code[at + 3] = EBREAK;
        return Arrays.copyOf(code, at + 4);
    }

    @Test
    void regionsOfTwoPagesChainWithoutTheLoop() {
        try (TestMachine m = both(twoPageLoop(300, new int[0], new int[0]), h -> h.jit.crossPages = false)) {
            assertEquals(300, m.hart.x[2]);
            assertEquals(300, m.hart.x[3]);
            assertTrue(m.hart.jit.chained > 500, "most region entries came from the region before: " + m.hart.statsLine());
        }
    }

    @Test
    @Timeout(20)
    void aChainStopsAtTheBudgetAndOnAKickWithExactCounts() throws Exception {
        try (TestMachine m = new TestMachine(FORCED)) {
            m.hart.jit.crossPages = false; // chaining between one-page regions
            int[] code = twoPageLoop(0, new int[0], new int[0]); // x1 = 0: bne never falls through (x1 wraps)
            m.put(TestMachine.BASE, code);
            m.hart.reset(TestMachine.BASE, Hart.PRIV_M);
            for (long budget : new long[] {100_000, 7, 4097}) {
                long before = m.hart.retired;
                assertEquals(ExitReason.BUDGET, m.hart.run(budget));
                long done = m.hart.retired - before;
                assertTrue(done >= budget && done <= budget + 2, "a chain stops at the budget, as the loop does: " + done);
                assertWorkMatchesCount(m.hart);
            }
            assertTrue(m.hart.jit.chained > 0, m.hart.statsLine());

            Thread kicker = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                m.hart.kick();
            });
            kicker.start();
            long chainedBefore = m.hart.jit.chained;
            assertEquals(ExitReason.BUDGET, m.hart.run(Long.MAX_VALUE / 2), "a kick stops an endless chain");
            kicker.join();
            assertWorkMatchesCount(m.hart);
            assertTrue(m.hart.jit.chained - chainedBefore > 1000, "it ran chained: " + m.hart.statsLine());
        }
    }

    /**
     * In the endless two-page loop every retired instruction is visible in x2, x3 and the pc: 2 per
     * count of x2 (A: addi, jal), 3 per count of x3 (B: addi, addi, bne), less the instructions of
     * the current pass that are counted but not yet retired, plus the 2 setup instructions.
     */
    private static void assertWorkMatchesCount(Hart h) {
        long off = h.pc - TestMachine.BASE;
        long notYet = off == 4L * A ? 0 : off == 4L * (A + 1) ? 1 : off == 4L * B ? 0 : off == 4L * (B + 1) ? 2
                : off == 4L * (B + 2) ? 1 : -1000;
        assertEquals(2 + 2 * h.x[2] + 3 * h.x[3] - notYet, h.retired, () -> "pc 0x" + Long.toHexString(h.pc) + " " + h.statsLine());
    }

    @Test
    void aChainIntoAPageRewrittenAndFencedRunsTheNewCode() {
        // B's first instruction is rewritten (addi x4, x4, 1 -> addi x4, x4, 100) by the first pass
        // through B, followed by FENCE.I; later passes must add 100 (the region of B's page was
        // translated and entered by chaining before the rewrite).
        int[] atB = {addi(4, 4, 1), sw(6, 5, 0), fenceI()};
        TestMachine.Code setup = new TestMachine.Code().li(5, TestMachine.BASE + 4L * B).li(6, addi(4, 4, 100) & 0xffff_ffffL);
        try (TestMachine m = both(twoPageLoop(20, setup.build(), atB), h -> h.jit.crossPages = false)) {
            assertEquals(1 + 19 * 100, m.hart.x[4], "the first pass ran the old instruction, the others the new one");
            assertEquals(20, m.hart.x[3]);
            assertTrue(m.hart.jit.chained > 0, "regions chained between the two pages: " + m.hart.statsLine());
        }
    }

    // ---- regions that go on into the next or previous virtual page ----

    /** Words of {@code code} placed at byte offsets: {offset, word, offset, word, ...}; NOPs elsewhere. */
    private static int[] layout(int words, int... offsetAndWord) {
        int[] code = new int[words];
        Arrays.fill(code, addi(0, 0, 0));
        for (int i = 0; i < offsetAndWord.length; i += 2) {
            code[offsetAndWord[i] / 4] = offsetAndWord[i + 1];
        }
        return code;
    }

    @Test
    void aLoopSpanningTwoPagesRunsInOneRegionEnteredFromTheFirstPage() {
        // BASE: reach the second page first (by jalr, which regions do not follow), so that the loop
        // head at 0xff0 is translated while the hart knows the next page: one region for the loop.
        int[] setup = new TestMachine.Code().li(1, 300).li(5, TestMachine.BASE + 0x1800).li(6, TestMachine.BASE + 0xff0)
                .add(jalr(31, 5, 0)).build();
        int[] code = layout(0x1818 / 4, 0xff0, addi(2, 2, 1), 0xff4, addi(1, 1, -1), 0x1000, addi(3, 3, 1), 0x1004,
                bne(1, 0, 0xff0 - 0x1004), 0x1008, jal(0, 0x1810 - 0x1008));
        System.arraycopy(setup, 0, code, 0, setup.length);
        code[0x1800 / 4] = jalr(31, 6, 0);
        code[0x1810 / 4] = addi(4, 0, 7); // then the ebreak exec appends
        try (TestMachine m = both(code, h -> { })) {
            assertEquals(300, m.hart.x[2]);
            assertEquals(300, m.hart.x[3]);
            assertEquals(7, m.hart.x[4]);
            assertTrue(m.hart.jit.twoPage > 0, m.hart.statsLine());
            assertTrue(m.hart.jit.entries < 20, "the loop does not leave its region: " + m.hart.statsLine());
        }
    }

    @Test
    void aLoopSpanningTwoPagesRunsInOneRegionEnteredFromTheSecondPage() {
        // Entered at 0x1000 (second page); its body goes on at 0xff0 in the previous page and falls back.
        int[] setup = new TestMachine.Code().li(1, 300).li(5, TestMachine.BASE + 0x1000).add(jalr(31, 5, 0)).build();
        int[] code = layout(0x1014 / 4, 0xff0, addi(2, 2, 1), 0xff4, addi(1, 1, -1), 0xff8, beq(1, 0, 0x100c - 0xff8),
                0x1000, addi(3, 3, 1), 0x1004, jal(0, 0xff0 - 0x1004), 0x100c, addi(4, 0, 7));
        System.arraycopy(setup, 0, code, 0, setup.length);
        try (TestMachine m = both(code, h -> { })) {
            assertEquals(300, m.hart.x[2]);
            assertEquals(300, m.hart.x[3]);
            assertTrue(m.hart.jit.twoPage > 0, m.hart.statsLine());
            assertTrue(m.hart.jit.entries < 20, "the loop does not leave its region: " + m.hart.statsLine());
        }
    }

    @Test
    void aLoadFaultInThePreviousPagePartOfARegionIsPrecise() {
        // the region starts at 0x1000; the faulting load is at 0xffc, in the page before (negative index)
        int[] setup = new TestMachine.Code().li(10, 8).li(5, TestMachine.BASE + 0x1014).add(csrw(MTVEC, 5)).li(1, 300)
                .li(5, TestMachine.BASE + 0x1000).add(jalr(31, 5, 0)).build();
        int[] code = layout(0x1014 / 4, 0xff0, addi(2, 2, 1), 0xff4, addi(1, 1, -1), 0xff8, beq(1, 0, 0x100c - 0xff8),
                0xffc, ld(9, 10, 0), 0x1000, addi(3, 3, 1), 0x1004, jal(0, 0xff0 - 0x1004), 0x100c, addi(4, 0, 7));
        System.arraycopy(setup, 0, code, 0, setup.length);
        try (TestMachine m = both(code, h -> { })) {
            assertEquals(5, m.hart.mcause, "load access fault");
            assertEquals(TestMachine.BASE + 0xffc, m.hart.mepc);
            assertEquals(1, m.hart.x[3]);
            assertEquals(1, m.hart.x[2]);
            assertTrue(m.hart.jit.twoPage > 0, m.hart.statsLine());
            assertEquals(1, m.hart.jitExits[RegionEmitter.EXIT_FAULT], "the fault came from the region: " + m.hart.statsLine());
        }
    }

    @Test
    void withCrossPagesOffTheSameLoopExitsAtEveryCrossing() {
        // the counterpart of the test above: shows that its entry count measures the feature
        int[] setup = new TestMachine.Code().li(1, 300).li(5, TestMachine.BASE + 0x1000).add(jalr(31, 5, 0)).build();
        int[] code = layout(0x1014 / 4, 0xff0, addi(2, 2, 1), 0xff4, addi(1, 1, -1), 0xff8, beq(1, 0, 0x100c - 0xff8),
                0x1000, addi(3, 3, 1), 0x1004, jal(0, 0xff0 - 0x1004), 0x100c, addi(4, 0, 7));
        System.arraycopy(setup, 0, code, 0, setup.length);
        try (TestMachine m = both(code, h -> h.jit.crossPages = false)) {
            assertEquals(300, m.hart.x[3]);
            assertEquals(0, m.hart.jit.twoPage);
            assertTrue(m.hart.jit.entries > 500, m.hart.statsLine());
        }
    }

    // Sv39 layout of the paging tests: S-mode code at virtual V0 (physical P0) and V1 (P1 or P2),
    // the leaf page table mapped at V0 + 0x2000 so that S-mode can rewrite V1's PTE itself.
    private static final long ROOT = TestMachine.BASE + 0x20_0000, L1 = ROOT + 0x1000, L0 = ROOT + 0x2000,
            P0 = TestMachine.BASE + 0x30_0000, P1 = P0 + 0x1000, P2 = P0 + 0x2000, MHANDLER = TestMachine.BASE + 0x1000,
            V0 = 0x4000_0000L, V1 = V0 + 0x1000;
    private static final int PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_A = 64, PTE_D = 128;

    private static long pte(long phys, int flags) {
        return (phys >>> 12) << 10 | flags;
    }

    /** S code of the second page: +1 (P1) or +100 (P2) per pass; at x1 == x7 to the change at V0+0x100. */
    private static void secondPage(TestMachine m, long phys, int increment) {
        m.put(phys, addi(3, 3, increment), beq(1, 7, (int) (V0 + 0x100 - (V1 + 4))), bne(1, 0, (int) (V0 + 0xff0 - (V1 + 8))),
                EBREAK);
        m.put(phys + 0x800, jalr(31, 11, 0));
    }

    /**
     * A loop from V0+0xff0 into V1 and back, 20 passes; when x1 reaches 10 the code at V0+0x100
     * ({@code change}) changes V1 (its PTE at x9 gets x8, or its bytes) and returns to the loop head
     * by jalr (x11), which enters the two-page region translated before the change. S-mode starts at
     * V1+0x800 (a jalr to the loop head) so that the hart knows V1 when the loop head is translated.
     * Runs on the interpreter and the JIT harts and compares them.
     */
    private static TestMachine pagedLoop(int v1Flags, long x8, long x9, int... change) {
        long satp = (8L << 60) | (ROOT >>> 12);
        int[] prologue = new TestMachine.Code().li(5, MHANDLER).add(csrw(MTVEC, 5)).li(5, satp).add(csrw(SATP, 5))
                .li(5, 1L << 11).add(csrrs(0, MSTATUS, 5)).li(5, V1 + 0x800).add(csrw(MEPC, 5))
                .li(1, 20).li(7, 10).li(8, x8).li(9, x9).li(11, V0 + 0xff0).add(MRET).build();
        Consumer<TestMachine> setup = m -> {
            m.store64(ROOT + 8, pte(L1, PTE_V)); // VPN2 = 1
            m.store64(L1, pte(L0, PTE_V));
            m.store64(L0, pte(P0, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D));
            m.store64(L0 + 8, pte(P1, PTE_V | v1Flags | PTE_A | PTE_D));
            m.store64(L0 + 16, pte(L0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
            m.put(P0 + 0xff0, addi(2, 2, 1), addi(1, 1, -1), addi(0, 0, 0), addi(0, 0, 0));
            m.put(P0 + 0x100, change);
            secondPage(m, P1, 1);
            secondPage(m, P2, 100);
            m.put(MHANDLER, EBREAK);
        };
        TestMachine interp = new TestMachine(INTERPRETER);
        TestMachine jit = new TestMachine(FORCED);
        try (interp; TestMachine inline = new TestMachine(FORCED)) {
            inline.hart.jit.inlineMemory = true;
            for (TestMachine m : new TestMachine[] {interp, jit, inline}) {
                setup.accept(m);
                m.exec(prologue);
            }
            assertSameState(interp, jit);
            assertSameState(interp, inline);
            for (TestMachine m : new TestMachine[] {interp, jit, inline}) {
                assertEquals(m.ram.getLong(L0 + 8 - TestMachine.BASE), interp.ram.getLong(L0 + 8 - TestMachine.BASE));
                assertEquals(m.ram.getInt(P1 - TestMachine.BASE), interp.ram.getInt(P1 - TestMachine.BASE));
            }
            assertTrue(jit.hart.jit.twoPage > 0, "the loop was translated as one region: " + jit.hart.statsLine());
        } catch (RuntimeException | Error e) {
            jit.close();
            throw e;
        }
        return jit;
    }

    @Test
    void aRegionWhoseSecondPageIsRemappedRunsTheNewCode() {
        try (TestMachine m = pagedLoop(PTE_R | PTE_X, pte(P2, PTE_V | PTE_R | PTE_X | PTE_A | PTE_D), V0 + 0x2008,
                sd(8, 9, 0), sfenceVma(0, 0), jalr(31, 11, 0))) {
            assertEquals(20, m.hart.x[2]);
            assertEquals(10 + 10 * 100, m.hart.x[3], "10 passes through P1, 10 through P2");
            assertEquals(Hart.PRIV_S, m.hart.priv);
            assertTrue(m.hart.jitExits[RegionEmitter.EXIT_CROSS] > 0, "the crossing check failed once: " + m.hart.statsLine());
        }
    }

    @Test
    void aRegionWhoseSecondPageBecomesNonExecutableTrapsAtTheCrossing() {
        try (TestMachine m = pagedLoop(PTE_R | PTE_X, pte(P1, PTE_V | PTE_R | PTE_A | PTE_D), V0 + 0x2008,
                sd(8, 9, 0), sfenceVma(0, 0), jalr(31, 11, 0))) {
            assertEquals(12, m.hart.mcause, "instruction page fault");
            assertEquals(V1, m.hart.mepc);
            assertEquals(V1, m.hart.mtval);
            assertEquals(10, m.hart.x[3]);
            assertEquals(11, m.hart.x[2], "the pass that faults ran its first-page part");
        }
    }

    @Test
    void aRegionWhoseSecondPageIsUnmappedTrapsAtTheCrossing() {
        try (TestMachine m = pagedLoop(PTE_R | PTE_X, 0, V0 + 0x2008, sd(8, 9, 0), sfenceVma(0, 0), jalr(31, 11, 0))) {
            assertEquals(12, m.hart.mcause, "instruction page fault");
            assertEquals(V1, m.hart.mepc);
            assertEquals(V1, m.hart.mtval);
            assertEquals(10, m.hart.x[3]);
        }
    }

    @Test
    void aRegionWhoseSecondPageIsRewrittenAndFencedRunsTheNewCode() {
        try (TestMachine m = pagedLoop(PTE_R | PTE_W | PTE_X, addi(3, 3, 100) & 0xffff_ffffL, V1, sw(8, 9, 0), fenceI(),
                jalr(31, 11, 0))) {
            assertEquals(10 + 10 * 100, m.hart.x[3], "10 passes of the old code, 10 of the new");
            assertTrue(m.hart.jitExits[RegionEmitter.EXIT_CROSS] > 0, "the crossing check failed once: " + m.hart.statsLine());
        }
    }
}
