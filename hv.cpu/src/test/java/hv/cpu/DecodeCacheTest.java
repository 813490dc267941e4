package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Decoded code is never executed stale after FENCE.I, flushDecodeCache() or (optionally) a satp write. */
class DecodeCacheTest {
    static final long BASE = TestMachine.BASE, TARGET = BASE + 0x2000;

    /** Code that calls TARGET (jalr ra), stores `replacement` over it, runs `sync`, and calls it again. */
    static int[] modifyAndRerun(int replacement, int... sync) {
        TestMachine.Code c = new TestMachine.Code().li(8, TARGET).add(jalr(1, 8, 0), add(6, 5, 0)).li(9, replacement)
                .add(sw(9, 8, 0)).add(sync).add(jalr(1, 8, 0), add(7, 5, 0), EBREAK);
        return c.build();
    }

    @Test
    void fenceIMakesOwnStoresVisible() {
        try (TestMachine m = new TestMachine()) {
            m.put(TARGET, addi(5, 0, 1), jalr(0, 1, 0));
            m.put(BASE, modifyAndRerun(addi(5, 0, 2), fenceI()));
            m.hart.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(10_000));
            assertEquals(1, m.hart.x[6]);
            assertEquals(2, m.hart.x[7]);
        }
    }

    @Test
    void satpWriteRevalidatesWhenConfigured() {
        try (TestMachine m = new TestMachine()) { // firmware config: satpFlushesDecode on (xv6 writes code without FENCE.I)
            m.put(TARGET, addi(5, 0, 1), jalr(0, 1, 0));
            m.put(BASE, modifyAndRerun(addi(5, 0, 3), csrw(0x180, 0)));
            m.hart.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(10_000));
            assertEquals(3, m.hart.x[7]);
        }
    }

    @Test
    void dmaWritesAreSeenAfterFlushDecodeCache() {
        try (TestMachine m = new TestMachine()) {
            m.put(BASE, addi(5, 0, 1), EBREAK);
            m.hart.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(100));
            assertEquals(1, m.hart.x[5]);
            m.ram.putInt(0, addi(5, 0, 4)); // a "DMA" write behind the hart's back
            m.hart.flushDecodeCache(); // what the VMM does after loading code (thread-safe)
            m.hart.pc = BASE;
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(100));
            assertEquals(4, m.hart.x[5]);
        }
    }

    @Test
    void codeWrittenByAnotherHartRunsAfterFenceI() throws Exception {
        try (TestMachine m = new TestMachine()) {
            Hart a = m.hart;
            Hart b = m.addHart(1, HartConfig.hypervisor());
            m.put(TARGET, addi(5, 0, 1), jalr(0, 1, 0));
            // A: call target, ebreak, fence.i, call target, ebreak
            m.put(BASE, new TestMachine.Code().li(8, TARGET).add(jalr(1, 8, 0), add(6, 5, 0), EBREAK, fenceI(), jalr(1, 8, 0),
                    add(7, 5, 0), EBREAK).build());
            // B (another thread): store the new instruction
            long bCode = BASE + 0x1000;
            m.put(bCode, new TestMachine.Code().li(8, TARGET).li(9, addi(5, 0, 5)).add(sw(9, 8, 0), EBREAK).build());
            a.reset(BASE, Hart.PRIV_M);
            b.reset(bCode, Hart.PRIV_S);
            b.debuggerAttached = true;
            assertEquals(ExitReason.BREAKPOINT, a.run(1000));
            assertEquals(1, a.x[6]);
            ExitReason[] rb = new ExitReason[1];
            Thread t = Thread.ofPlatform().start(() -> rb[0] = b.run(1000));
            t.join();
            assertEquals(ExitReason.BREAKPOINT, rb[0]);
            a.pc += 4;
            assertEquals(ExitReason.BREAKPOINT, a.run(1000));
            assertEquals(5, a.x[7]);
        }
    }

    private static long stat(Hart h, String name) {
        java.util.regex.Matcher mt = java.util.regex.Pattern.compile(" " + name + "=(\\d+)").matcher(h.statsLine());
        if (!mt.find()) {
            throw new AssertionError("no " + name + " in " + h.statsLine());
        }
        return Long.parseLong(mt.group(1));
    }

    /** C2: a FENCE.I makes pages nobody wrote revalidate for free (RAM's CodeWriteLog), not by a 4 KiB compare. */
    @Test
    void fenceIDoesNotCompareUnwrittenPages() {
        try (TestMachine m = new TestMachine()) {
            m.put(TARGET, addi(5, 5, 1), jalr(0, 1, 0));
            TestMachine.Code c = new TestMachine.Code().li(8, TARGET);
            for (int i = 0; i < 10; i++) {
                c.add(jalr(1, 8, 0), fenceI());
            }
            m.put(BASE, c.add(EBREAK).build());
            m.hart.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(10_000));
            assertEquals(10, m.hart.x[5]);
            assertEquals(0, stat(m.hart, "revalidated"), m.hart.statsLine());
            assertTrue(stat(m.hart, "unwritten") >= 18, "both pages re-entered after each FENCE.I: " + m.hart.statsLine());
        }
    }

    /**
     * Another hart holds a store TLB entry for the code page when this hart snapshots it, and
     * later writes the page through that entry (a TLB hit tells nobody): the snapshot must not be
     * trusted, so FENCE.I still compares and runs the new code.
     */
    @Test
    void aStoreThroughAStoreTlbEntryThatLivedAtSnapshotTimeIsSeen() {
        try (TestMachine m = new TestMachine()) {
            Hart a = m.hart;
            Hart b = m.addHart(1, HartConfig.hypervisor());
            m.put(TARGET, addi(5, 0, 1), jalr(0, 1, 0));
            m.put(BASE, new TestMachine.Code().li(8, TARGET).add(jalr(1, 8, 0), add(6, 5, 0), EBREAK, fenceI(), jalr(1, 8, 0),
                    add(7, 5, 0), EBREAK).build());
            long bCode = BASE + 0x1000;
            // B: a harmless store into the target page (fills B's store TLB), ebreak; then the real one (a TLB hit)
            m.put(bCode, new TestMachine.Code().li(8, TARGET).li(9, addi(5, 0, 7)).add(sw(0, 8, 0x100), EBREAK, sw(9, 8, 0),
                    EBREAK).build());
            b.reset(bCode, Hart.PRIV_S);
            a.reset(BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, b.run(1000));
            assertEquals(ExitReason.BREAKPOINT, a.run(1000)); // snapshots TARGET's page while B maps it for stores
            assertEquals(1, a.x[6]);
            b.pc += 4;
            assertEquals(ExitReason.BREAKPOINT, b.run(1000));
            a.pc += 4;
            assertEquals(ExitReason.BREAKPOINT, a.run(1000));
            assertEquals(7, a.x[7]);
        }
    }

    @Test
    void aSmallCacheStillRunsCodeSpanningManyPages() {
        HartConfig small = new HartConfig(false, false, true, true, 16);
        try (TestMachine m = new TestMachine(small)) {
            // 40 pages, each: addi x5, x5, 1; jal to the next page; the last one ebreaks. Run the chain 3 times.
            int pages = 40;
            for (int p = 0; p < pages; p++) {
                long at = BASE + 0x10000 + p * 0x1000L;
                m.put(at, addi(5, 5, 1), p == pages - 1 ? EBREAK : jal(0, 0x1000 - 4));
            }
            for (int round = 1; round <= 3; round++) {
                m.hart.pc = BASE + 0x10000;
                if (round == 1) {
                    m.hart.reset(BASE + 0x10000, Hart.PRIV_M);
                }
                assertEquals(ExitReason.BREAKPOINT, m.hart.run(100_000));
                assertEquals(pages * round, m.hart.x[5]);
            }
        }
    }
}
