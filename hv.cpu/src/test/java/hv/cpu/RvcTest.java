package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every RVC form decodes exactly like the 32-bit instruction it expands to (unprivileged spec
 * chapter 16, tables 16.5-16.7), reserved encodings are illegal with their bits kept for xtval,
 * and compressed code runs (including a 32-bit instruction straddling two pages).
 */
class RvcTest {
    private static final Random RND = new Random(42);

    private static int bits(int v, int hi, int lo) {
        return (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    private static long norm(long e) {
        return e & ~Op.LONG_INSN;
    }

    private static void same(int c, int expansion) {
        long got = Decoder.decode16(c);
        long want32 = Decoder.decode32(expansion);
        // the compressed form may use the op's RVC twin (same semantics, one-halfword step)
        long want = (want32 & ~0xffL) | Op.compressedTwin(Op.op(want32));
        assertNotEquals(Op.ILLEGAL, Op.op(want32), "test bug: expansion illegal for " + Integer.toHexString(c));
        assertEquals(norm(want), norm(got), () -> "c=0x" + Integer.toHexString(c) + " expansion 0x" + Integer.toHexString(expansion));
        assertEquals(1, Op.halfwords(got));
    }

    private static int r() {
        return RND.nextInt(32);
    }

    private static int rp() {
        return 8 + RND.nextInt(8);
    }

    // ---------------- quadrant 0 ----------------
    @Test
    void quadrant0() {
        for (int t = 0; t < 500; t++) {
            int rd = rp(), rs1 = rp();
            int nz = (1 + RND.nextInt(255)) << 2; // nzuimm[9:2], not zero
            int c = (bits(nz, 5, 4) << 11) | (bits(nz, 9, 6) << 7) | (bits(nz, 2, 2) << 6) | (bits(nz, 3, 3) << 5) | ((rd - 8) << 2);
            same(c, addi(rd, 2, nz)); // c.addi4spn
            int u8 = RND.nextInt(32) << 3; // uimm[7:3]
            int ldLayout = (bits(u8, 5, 3) << 10) | ((rs1 - 8) << 7) | (bits(u8, 7, 6) << 5) | ((rd - 8) << 2);
            same((1 << 13) | ldLayout, fld(rd, rs1, u8));
            same((3 << 13) | ldLayout, ld(rd, rs1, u8));
            same((5 << 13) | ldLayout, fsd(rd, rs1, u8));
            same((7 << 13) | ldLayout, sd(rd, rs1, u8));
            int u4 = RND.nextInt(32) << 2; // uimm[6:2]
            int lwLayout = (bits(u4, 5, 3) << 10) | ((rs1 - 8) << 7) | (bits(u4, 2, 2) << 6) | (bits(u4, 6, 6) << 5) | ((rd - 8) << 2);
            same((2 << 13) | lwLayout, lw(rd, rs1, u4));
            same((6 << 13) | lwLayout, sw(rd, rs1, u4));
        }
    }

    private static int ci(int f3, int rd, int imm6, int quadrant) {
        return (f3 << 13) | (bits(imm6, 5, 5) << 12) | (rd << 7) | (bits(imm6, 4, 0) << 2) | quadrant;
    }

    // ---------------- quadrant 1 ----------------
    @Test
    void quadrant1() {
        for (int t = 0; t < 500; t++) {
            int rd = r(), imm = RND.nextInt(64) - 32;
            same(ci(0, rd, imm, 1), addi(rd, rd, imm)); // c.addi (rd = 0: nop/hint)
            if (rd != 0) {
                same(ci(1, rd, imm, 1), addiw(rd, rd, imm)); // c.addiw
            }
            same(ci(2, rd, imm, 1), addi(rd, 0, imm)); // c.li
            if (imm != 0 && rd != 2) {
                same(ci(3, rd, imm, 1), lui(rd, imm << 12)); // c.lui
            }
            int sp = (RND.nextInt(64) - 32) << 4;
            if (sp != 0) {
                int c = (3 << 13) | (bits(sp, 9, 9) << 12) | (2 << 7) | (bits(sp, 4, 4) << 6) | (bits(sp, 6, 6) << 5)
                        | (bits(sp, 8, 7) << 3) | (bits(sp, 5, 5) << 2) | 1;
                same(c, addi(2, 2, sp)); // c.addi16sp
            }
            int rdp = rp(), rs2p = rp(), sh = RND.nextInt(64);
            int misc = (4 << 13) | ((rdp - 8) << 7) | 1;
            same(misc | (bits(sh, 5, 5) << 12) | (0 << 10) | (bits(sh, 4, 0) << 2), srli(rdp, rdp, sh));
            same(misc | (bits(sh, 5, 5) << 12) | (1 << 10) | (bits(sh, 4, 0) << 2), srai(rdp, rdp, sh));
            same(misc | (bits(imm, 5, 5) << 12) | (2 << 10) | (bits(imm, 4, 0) << 2), andi(rdp, rdp, imm));
            int arith = misc | (3 << 10) | ((rs2p - 8) << 2);
            same(arith | (0 << 5), sub(rdp, rdp, rs2p));
            same(arith | (1 << 5), xor(rdp, rdp, rs2p));
            same(arith | (2 << 5), or(rdp, rdp, rs2p));
            same(arith | (3 << 5), and(rdp, rdp, rs2p));
            same(arith | (1 << 12) | (0 << 5), subw(rdp, rdp, rs2p));
            same(arith | (1 << 12) | (1 << 5), addw(rdp, rdp, rs2p));
            int j = (RND.nextInt(2048) - 1024) << 1;
            int cj = (5 << 13) | (bits(j, 11, 11) << 12) | (bits(j, 4, 4) << 11) | (bits(j, 9, 8) << 9) | (bits(j, 10, 10) << 8)
                    | (bits(j, 6, 6) << 7) | (bits(j, 7, 7) << 6) | (bits(j, 3, 1) << 3) | (bits(j, 5, 5) << 2) | 1;
            same(cj, jal(0, j));
            int b = (RND.nextInt(256) - 128) << 1;
            int cb = (bits(b, 8, 8) << 12) | (bits(b, 4, 3) << 10) | ((rdp - 8) << 7) | (bits(b, 7, 6) << 5) | (bits(b, 2, 1) << 3)
                    | (bits(b, 5, 5) << 2) | 1;
            same((6 << 13) | cb, beq(rdp, 0, b));
            same((7 << 13) | cb, bne(rdp, 0, b));
        }
    }

    // ---------------- quadrant 2 ----------------
    @Test
    void quadrant2() {
        for (int t = 0; t < 500; t++) {
            int rd = r(), rs2 = r(), sh = RND.nextInt(64);
            same((bits(sh, 5, 5) << 12) | (rd << 7) | (bits(sh, 4, 0) << 2) | 2, slli(rd, rd, sh));
            int u8 = RND.nextInt(64) << 3; // uimm[8:3]
            int ldsp = (bits(u8, 5, 5) << 12) | (rd << 7) | (bits(u8, 4, 3) << 5) | (bits(u8, 8, 6) << 2) | 2;
            same((1 << 13) | ldsp, fld(rd, 2, u8));
            int u4 = RND.nextInt(64) << 2; // uimm[7:2]
            int lwsp = (2 << 13) | (bits(u4, 5, 5) << 12) | (rd << 7) | (bits(u4, 4, 2) << 4) | (bits(u4, 7, 6) << 2) | 2;
            if (rd != 0) {
                same((3 << 13) | ldsp, ld(rd, 2, u8));
                same(lwsp, lw(rd, 2, u4));
                same((4 << 13) | (rd << 7) | 2, jalr(0, rd, 0)); // c.jr
                same((4 << 13) | (1 << 12) | (rd << 7) | 2, jalr(1, rd, 0)); // c.jalr
            }
            if (rs2 != 0) {
                same((4 << 13) | (rd << 7) | (rs2 << 2) | 2, add(rd, 0, rs2)); // c.mv
                same((4 << 13) | (1 << 12) | (rd << 7) | (rs2 << 2) | 2, add(rd, rd, rs2)); // c.add
            }
            int sdsp = (bits(u8, 5, 3) << 10) | (bits(u8, 8, 6) << 7) | (rs2 << 2) | 2;
            same((5 << 13) | sdsp, fsd(rs2, 2, u8));
            same((7 << 13) | sdsp, sd(rs2, 2, u8));
            same((6 << 13) | (bits(u4, 5, 2) << 9) | (bits(u4, 7, 6) << 7) | (rs2 << 2) | 2, sw(rs2, 2, u4));
        }
        same(0x9002, EBREAK); // c.ebreak
    }

    @Test
    void reservedEncodingsAreIllegalWithTheirBits() {
        int[] reserved = {
            0x0000, // all zero (c.addi4spn with nzuimm = 0)
            0x0004, // c.addi4spn nzuimm = 0, rd' = x9
            0x8000, 0x9ffc, // quadrant 0 funct3 = 100
            0x2001, // c.addiw rd = x0
            0x6101, // c.addi16sp imm = 0
            0x6081, // c.lui x1, 0
            0x4002, // c.lwsp rd = x0
            0x6002, // c.ldsp rd = x0
            0x8002, // c.jr x0
            0x9c41, 0x9c61, // 100 1 11 xxx 10/11 xxx 01: reserved (Zcb not implemented)
        };
        for (int c : reserved) {
            long e = Decoder.decode16(c);
            assertEquals(Op.ILLEGAL, Op.op(e), "0x" + Integer.toHexString(c));
            assertEquals(c, Op.imm(e) & 0xffff);
            assertEquals(1, Op.halfwords(e));
        }
        // exhaustively: every 16-bit parcel decodes without throwing, and illegal ones keep their bits
        for (int c = 0; c < 0x10000; c++) {
            if ((c & 3) == 3) {
                continue;
            }
            long e = Decoder.decode16(c);
            if (Op.op(e) == Op.ILLEGAL) {
                assertEquals(c, Op.imm(e) & 0xffff);
            }
        }
    }

    @Test
    void compressedCodeRuns() {
        try (TestMachine m = new TestMachine()) {
            // c.li a0, 10; c.li a1, 0; loop: c.add a1, a0; c.addi a0, -1; c.bnez a0, loop; c.mv a2, a1; ebreak
            long at = TestMachine.BASE;
            int[] code = {ci(2, 10, 10, 1), ci(2, 11, 0, 1), (4 << 13) | (1 << 12) | (11 << 7) | (10 << 2) | 2, ci(0, 10, -1, 1)};
            for (int c : code) {
                m.put16(at, c);
                at += 2;
            }
            int b = -4;
            m.put16(at, (7 << 13) | (bits(b, 8, 8) << 12) | (bits(b, 4, 3) << 10) | ((10 - 8) << 7) | (bits(b, 7, 6) << 5)
                    | (bits(b, 2, 1) << 3) | (bits(b, 5, 5) << 2) | 1);
            at += 2;
            m.put16(at, (4 << 13) | (12 << 7) | (11 << 2) | 2);
            at += 2;
            m.put16(at, 0x9002); // c.ebreak
            m.hart.reset(TestMachine.BASE, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1000));
            assertEquals(55, m.hart.x[12]);
            assertEquals(at, m.hart.pc);
        }
    }

    @Test
    void a32BitInstructionStraddlingTwoPagesRuns() {
        try (TestMachine m = new TestMachine()) {
            long page2 = TestMachine.BASE + 0x1000;
            // c.li a0, 5 at 0xffc; c.nop at 0xffe would be 16 bits, so put a 32-bit addi a0, a0, 37 at 0xffe
            long start = page2 - 4;
            m.put16(start, ci(2, 10, 5, 1));
            m.put16(start + 2, 0x0001); // c.nop
            int addi = addi(10, 10, 37);
            m.put16(page2 - 2, addi & 0xffff);
            m.put16(page2, addi >>> 16);
            m.put(page2 + 2, EBREAK);
            m.hart.reset(start, Hart.PRIV_M);
            assertEquals(ExitReason.BREAKPOINT, m.hart.run(1000));
            assertEquals(42, m.hart.x[10]);
            assertEquals(page2 + 2, m.hart.pc);
        }
    }
}
