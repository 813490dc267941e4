package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Zba, Zbb, Zbs (unprivileged spec chapter 28), with expected values worked out from the spec's definitions. */
class BitManipTest {
    static TestMachine m;

    @BeforeAll
    static void up() {
        m = new TestMachine();
    }

    @AfterAll
    static void down() {
        m.close();
    }

    static long rr(int f7, int f3, int opcode, long a, long b) {
        return m.exec(new TestMachine.Code().li(1, a).li(2, b).add(r(f7, 2, 1, f3, 3, opcode)).build()).x[3];
    }

    /** OP-IMM style with a 12-bit immediate field (funct6/funct7 and shamt or a fixed selector). */
    static long ri(int imm12, int f3, int opcode, long a) {
        return m.exec(new TestMachine.Code().li(1, a).add(i(imm12, 1, f3, 3, opcode)).build()).x[3];
    }

    @Test
    void zba() {
        assertEquals(0x1_0000_0000L + 0xffffffffL, rr(0x04, 0, 0x3b, 0xffff_ffff_ffff_ffffL, 0x1_0000_0000L)); // add.uw
        assertEquals((5L << 1) + 7, rr(0x10, 2, 0x33, 5, 7)); // sh1add
        assertEquals((5L << 2) + 7, rr(0x10, 4, 0x33, 5, 7)); // sh2add
        assertEquals((-5L << 3) + 7, rr(0x10, 6, 0x33, -5, 7)); // sh3add
        assertEquals((0xffffffffL << 1) + 1, rr(0x10, 2, 0x3b, -1, 1)); // sh1add.uw
        assertEquals((0xffffffffL << 2) + 1, rr(0x10, 4, 0x3b, -1, 1)); // sh2add.uw
        assertEquals((0x80000000L << 3), rr(0x10, 6, 0x3b, 0xffff_ffff_8000_0000L, 0)); // sh3add.uw
        assertEquals(0xffffffffL << 40, ri((0b000010 << 6) | 40, 1, 0x1b, -1)); // slli.uw
    }

    @Test
    void zbbLogicAndCounts() {
        assertEquals(0b0100, rr(0x20, 7, 0x33, 0b0110, 0b0010)); // andn
        assertEquals(~0b0010L | 0b0110, rr(0x20, 6, 0x33, 0b0110, 0b0010)); // orn
        assertEquals(~(0b0110L ^ 0b0010), rr(0x20, 4, 0x33, 0b0110, 0b0010)); // xnor
        assertEquals(64, ri(0x600, 1, 0x13, 0)); // clz 0
        assertEquals(0, ri(0x600, 1, 0x13, -1));
        assertEquals(63, ri(0x600, 1, 0x13, 1));
        assertEquals(32, ri(0x600, 1, 0x1b, 0xffff_ffff_0000_0000L)); // clzw ignores the upper half
        assertEquals(64, ri(0x601, 1, 0x13, 0)); // ctz
        assertEquals(3, ri(0x601, 1, 0x13, 8));
        assertEquals(32, ri(0x601, 1, 0x1b, 0x1_0000_0000L)); // ctzw
        assertEquals(64, ri(0x602, 1, 0x13, -1)); // cpop
        assertEquals(32, ri(0x602, 1, 0x1b, -1)); // cpopw
    }

    @Test
    void zbbMinMaxExtendRotate() {
        assertEquals(-1, rr(0x05, 4, 0x33, -1, 1)); // min
        assertEquals(1, rr(0x05, 5, 0x33, -1, 1)); // minu
        assertEquals(1, rr(0x05, 6, 0x33, -1, 1)); // max
        assertEquals(-1, rr(0x05, 7, 0x33, -1, 1)); // maxu
        assertEquals(-128, ri(0x604, 1, 0x13, 0x1280)); // sext.b
        assertEquals(-32768, ri(0x605, 1, 0x13, 0x18000)); // sext.h
        // zext.h is add.uw's funct7 with funct3 4 and rs2 = 0; any other rs2 is reserved
        assertEquals(Op.ILLEGAL, Op.op(Decoder.decode32(r(0x04, 2, 1, 4, 3, 0x3b))));
        assertEquals(0x8000, m.exec(new TestMachine.Code().li(1, 0x1_8000L).add(r(0x04, 0, 1, 4, 3, 0x3b)).build()).x[3]);
        assertEquals(Long.rotateLeft(0x8000_0000_0000_0001L, 4), rr(0x30, 1, 0x33, 0x8000_0000_0000_0001L, 68)); // rol
        assertEquals(Long.rotateRight(0x8000_0000_0000_0001L, 4), rr(0x30, 5, 0x33, 0x8000_0000_0000_0001L, 4)); // ror
        assertEquals((long) Integer.rotateLeft(0x8000_0001, 1), rr(0x30, 1, 0x3b, 0x8000_0001L, 33)); // rolw
        assertEquals((long) Integer.rotateRight(0x0000_0003, 1), rr(0x30, 5, 0x3b, 3, 1)); // rorw -> 0x80000001 sign-extended
        assertEquals(Long.rotateRight(1L, 8), ri((0b011000 << 6) | 8, 5, 0x13, 1)); // rori
        assertEquals((long) Integer.rotateRight(1, 8), ri((0x30 << 5) | 8, 5, 0x1b, 1)); // roriw
        assertEquals(0xff00_ff00_0000_ffffL, ri(0x287, 5, 0x13, 0x1200_0100_0000_8001L)); // orc.b
        assertEquals(0x0807_0605_0403_0201L, ri(0x6b8, 5, 0x13, 0x0102_0304_0506_0708L)); // rev8
    }

    @Test
    void zbs() {
        assertEquals(0b1011, rr(0x24, 1, 0x33, 0b1111, 2)); // bclr
        assertEquals(0b1111, rr(0x24, 1, 0x33, 0b1111, 64 + 8)); // bclr index mod 64: bit 8 (already clear)
        assertEquals(1, rr(0x24, 5, 0x33, 0b0100, 2)); // bext
        assertEquals(0b1011, rr(0x34, 1, 0x33, 0b1111, 2)); // binv
        assertEquals(Long.MIN_VALUE, rr(0x14, 1, 0x33, 0, 63)); // bset
        assertEquals(0, ri((0b010010 << 6) | 63, 1, 0x13, Long.MIN_VALUE)); // bclri
        assertEquals(1, ri((0b010010 << 6) | 63, 5, 0x13, Long.MIN_VALUE)); // bexti
        assertEquals(1L << 40, ri((0b011010 << 6) | 40, 1, 0x13, 0)); // binvi
        assertEquals(1L << 33, ri((0b001010 << 6) | 33, 1, 0x13, 0)); // bseti
    }
}
