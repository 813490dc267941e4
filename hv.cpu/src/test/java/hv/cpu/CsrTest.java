package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.platform.HartLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Zicsr semantics, access rules, WARL fields, counters and counteren (privileged spec 2, 3.1, 4.1). */
class CsrTest {
    static final long BASE = TestMachine.BASE, USER = BASE + 0x400, SUP = BASE + 0x600, MTRAP = BASE + 0x800;

    TestMachine m;
    Hart h;

    @BeforeEach
    void up() {
        m = new TestMachine();
        h = m.hart;
        m.put(MTRAP, EBREAK);
    }

    @AfterEach
    void down() {
        m.close();
    }

    Hart run(TestMachine.Code c) {
        m.put(BASE, new TestMachine.Code().li(5, MTRAP).add(csrw(0x305, 5)).add(c.build()).add(EBREAK).build());
        h.reset(BASE, Hart.PRIV_M);
        assertEquals(ExitReason.BREAKPOINT, h.run(100_000));
        return h;
    }

    Hart runIn(int priv, TestMachine.Code setup, int... code) {
        int[] withEnd = java.util.Arrays.copyOf(code, code.length + 1);
        withEnd[code.length] = EBREAK;
        m.put(priv == Hart.PRIV_U ? USER : SUP, withEnd);
        return run(PrivilegedTest.enter(setup, priv, priv == Hart.PRIV_U ? USER : SUP));
    }

    @Test
    void readModifyWriteForms() {
        Hart r = run(new TestMachine.Code().li(1, 0xf0).add(csrrw(2, 0x340, 1)) // mscratch = 0xf0, x2 = old (0)
                .li(1, 0x0f).add(csrrs(3, 0x340, 1)) // x3 = 0xf0, mscratch = 0xff
                .li(1, 0x3c).add(csrrc(4, 0x340, 1)) // x4 = 0xff, mscratch = 0xc3
                .add(csrrwi(6, 0x340, 31), csrrsi(7, 0x340, 0), csrrci(8, 0x340, 3), csrr(9, 0x340)));
        assertEquals(0, r.x[2]);
        assertEquals(0xf0, r.x[3]);
        assertEquals(0xff, r.x[4]);
        assertEquals(0xc3, r.x[6]);
        assertEquals(31, r.x[7]);
        assertEquals(31, r.x[8]);
        assertEquals(28, r.x[9]);
    }

    @Test
    void readOnlyAndUnknownCsrsAreIllegalWithInstructionBits() {
        Hart r = run(new TestMachine.Code().add(csrr(1, 0xf14), csrr(2, 0x301), csrrs(3, 0xf11, 0))); // reading is fine
        assertEquals(0, r.x[1]);
        assertEquals(2L, r.x[2] >>> 62); // MXL = 64
        long exts = r.x[2];
        for (char ext : "ACDFIMSU".toCharArray()) {
            assertTrue((exts & (1L << (ext - 'A'))) != 0, "misa has " + ext);
        }
        int bad = csrw(0xf14, 1); // mhartid is read-only
        run(new TestMachine.Code().add(bad));
        assertEquals(2, h.mcause);
        assertEquals(bad & 0xffffffffL, h.mtval);
        int unknown = csrr(1, 0x7c0);
        run(new TestMachine.Code().add(unknown));
        assertEquals(2, h.mcause);
        assertEquals(unknown & 0xffffffffL, h.mtval);
        run(new TestMachine.Code().add(csrrw(0, 0x3a1, 0))); // pmpcfg1 does not exist on RV64, even as a pure write
        assertEquals(2, h.mcause);
    }

    @Test
    void privilegeLevelOfCsrAddress() {
        runIn(Hart.PRIV_S, new TestMachine.Code(), csrr(1, 0x300)); // mstatus from S
        assertEquals(2, h.mcause);
        runIn(Hart.PRIV_U, new TestMachine.Code(), csrr(1, 0x100)); // sstatus from U
        assertEquals(2, h.mcause);
        Hart s = runIn(Hart.PRIV_S, new TestMachine.Code(), csrr(1, 0x100), addi(2, 0, 1));
        assertEquals(1, s.x[2]);
    }

    @Test
    void mstatusWarlFields() {
        Hart r = run(new TestMachine.Code().li(1, -1).add(csrw(0x300, 1), csrr(2, 0x300)).li(1, 2L << 11)
                .li(3, 3L << 11).add(csrrc(0, 0x300, 3), csrrs(0, 0x300, 1), csrr(4, 0x300)));
        long all = r.x[2];
        assertEquals(2L, (all >>> 32) & 3, "UXL = 64");
        assertEquals(2L, (all >>> 34) & 3, "SXL = 64");
        assertEquals(3L, (all >>> 13) & 3, "FS writable");
        assertTrue(all < 0, "SD follows FS = Dirty");
        assertEquals(0, all & (3L << 9), "VS = 0 (no V)");
        assertEquals(0, all & (3L << 15), "XS = 0");
        assertEquals(0, (r.x[4] >>> 11) & 3, "MPP = 2 is not a mode: previous value (0 after the clear) kept");
    }

    @Test
    void sstatusIsARestrictedViewOfMstatus() {
        Hart r = run(new TestMachine.Code().li(1, -1).add(csrw(0x100, 1), csrr(2, 0x300), csrr(3, 0x100)));
        long ms = r.x[2];
        assertEquals(0, ms & (1 << 3), "MIE untouched by sstatus");
        assertEquals(0, ms & (3 << 11), "MPP untouched");
        assertEquals(1 << 1, ms & (1 << 1), "SIE set");
        assertEquals(1L << 18, ms & (1L << 18), "SUM set");
        assertEquals(0, r.x[3] & (1 << 3), "MIE not visible in sstatus");
    }

    @Test
    void tvecModesAndEpcAlignment() {
        Hart r = run(new TestMachine.Code().li(1, 0x1002).add(csrw(0x105, 1), csrr(2, 0x105)).li(1, 0x1001)
                .add(csrw(0x105, 1), csrr(3, 0x105)).li(1, 0x2003).add(csrw(0x105, 1), csrr(4, 0x105)).li(1, 0x1235)
                .add(csrw(0x341, 1), csrr(5, 0x341)));
        assertEquals(0x1000, r.x[2], "mode 2 reserved: previous mode (0) kept");
        assertEquals(0x1001, r.x[3]);
        assertEquals(0x2001, r.x[4]);
        assertEquals(0x1234, r.x[5], "epc bit 0 reads 0");
    }

    /**
     * Privileged spec 3.1.9: CSRRS/CSRRC on mip modify only the software-writable SEIP bit, never the
     * interrupt controller's signal that a read ORs in. OpenSBI sets SSIP with csrrs on an IPI; if
     * the PLIC's SEIP were latched into software then, the hart would take supervisor external
     * interrupts forever after the device's line dropped (the 2-hart OpenSBI poweroff stall).
     */
    @Test
    void mipReadModifyWriteDoesNotLatchThePlicsSeip() {
        long seip = 1L << HartLink.SEIP, ssip = 1L << HartLink.SSIP;
        m.put(BASE, csrrsi(6, 0x344, 2), csrrci(7, 0x344, 2), csrrsi(0, 0x344, 2), EBREAK);
        h.reset(BASE, Hart.PRIV_M);
        h.link().setInterruptPending(HartLink.SEIP, true); // the PLIC asserts the S-context line
        assertEquals(ExitReason.BREAKPOINT, h.run(1000));
        assertEquals(seip, h.x[6] & (seip | ssip), "a read shows the controller's SEIP");
        assertEquals(seip | ssip, h.x[7] & (seip | ssip));
        h.link().setInterruptPending(HartLink.SEIP, false); // claim + device quiet: the line drops
        assertEquals(ssip, h.mip() & (seip | ssip), "SSIP stays set, SEIP went away with the line");

        // the software SEIP bit itself is still writable by M-mode
        m.put(BASE, csrrs(0, 0x344, 5), csrr(6, 0x344), csrrc(0, 0x344, 5), csrr(7, 0x344), EBREAK);
        h.reset(BASE, Hart.PRIV_M);
        h.x[5] = seip;
        h.flushDecodeCache();
        assertEquals(ExitReason.BREAKPOINT, h.run(1000));
        assertEquals(seip, h.x[6] & seip);
        assertEquals(0, h.x[7] & seip);
    }

    @Test
    void delegationAndInterruptMasks() {
        Hart r = run(new TestMachine.Code().li(1, -1).add(csrw(0x302, 1), csrr(2, 0x302), csrw(0x303, 1), csrr(3, 0x303),
                csrw(0x304, 1), csrr(4, 0x304), csrr(5, 0x104)));
        assertEquals(0xb3ffL, r.x[2], "medeleg: ecall-from-M and reserved causes not delegable");
        assertEquals(0x222L, r.x[3], "mideleg: the supervisor interrupts");
        assertEquals(0xaaaL, r.x[4]);
        assertEquals(0x222L, r.x[5], "sie shows delegated bits only");
    }

    @Test
    void countersAndCounteren() {
        m.clock.now = 12345;
        Hart r = run(new TestMachine.Code().add(csrr(1, 0xc02), addi(0, 0, 0), addi(0, 0, 0), csrr(2, 0xc02), csrr(3, 0xc01),
                csrr(4, 0xb00), csrr(6, 0xc03), csrr(7, 0xb03)));
        assertEquals(3, r.x[2] - r.x[1], "instret counts every retired instruction");
        assertEquals(12345, r.x[3]);
        assertTrue(r.x[4] >= r.x[2]);
        assertEquals(0, r.x[6], "hpmcounter3 reads 0");
        assertEquals(0, r.x[7]);
        // minstret write: the next read sees the written value plus what retired since
        Hart w = run(new TestMachine.Code().li(1, 1000).add(csrw(0xb02, 1), csrr(2, 0xb02)));
        assertEquals(1000, w.x[2]);
        // U-mode: needs mcounteren and scounteren
        runIn(Hart.PRIV_U, new TestMachine.Code(), csrr(1, 0xc01));
        assertEquals(2, h.mcause);
        runIn(Hart.PRIV_U, new TestMachine.Code().li(5, 2).add(csrw(0x306, 5)), csrr(1, 0xc01));
        assertEquals(2, h.mcause, "scounteren.TM still clear");
        Hart u = runIn(Hart.PRIV_U, new TestMachine.Code().li(5, 2).add(csrw(0x306, 5), csrw(0x106, 5)), csrr(1, 0xc01));
        assertEquals(12345, u.x[1]);
        Hart s = runIn(Hart.PRIV_S, new TestMachine.Code().li(5, 5).add(csrw(0x306, 5)), csrr(1, 0xc00), csrr(2, 0xc02));
        assertTrue(s.x[2] > 0);
        runIn(Hart.PRIV_S, new TestMachine.Code().li(5, 5).add(csrw(0x306, 5)), csrr(1, 0xc01));
        assertEquals(2, h.mcause, "mcounteren.TM clear: time illegal in S");
    }

    @Test
    void pmpRegistersAreWarlStorage() {
        Hart r = run(new TestMachine.Code().li(1, -1).add(csrw(0x3b0, 1), csrr(2, 0x3b0)).li(1, 0x1f).add(csrw(0x3a0, 1),
                csrr(3, 0x3a0)).li(1, 0x9f00).add(csrrs(0, 0x3a0, 1)).li(1, 0).add(csrw(0x3a0, 1), csrr(4, 0x3a0)));
        assertEquals((1L << 54) - 1, r.x[2]);
        assertEquals(0x1f, r.x[3]);
        assertEquals(0x9f00, r.x[4], "entry 1 locked: keeps its byte");
    }

    @Test
    void fpCsrsAndFsOff() {
        Hart r = run(new TestMachine.Code().li(1, 1L << 13).add(csrrs(0, 0x300, 1), csrrwi(0, 0x002, 3), csrrwi(0, 0x001, 0x15),
                csrr(2, 0x003), csrr(3, 0x300)));
        assertEquals((3 << 5) | 0x15, r.x[2]);
        assertTrue(r.x[3] < 0 && ((r.x[3] >>> 13) & 3) == 3, "FS dirty and SD after an fflags write");
        run(new TestMachine.Code().add(csrr(2, 0x003)));
        assertEquals(2, h.mcause, "FS = Off: fcsr is illegal");
    }
}
