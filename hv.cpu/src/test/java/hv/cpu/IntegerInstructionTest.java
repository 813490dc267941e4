package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RV64I and M: every instruction with its edge cases (unprivileged spec chapters 2, 5, 13). */
class IntegerInstructionTest {
    static TestMachine m;

    @BeforeAll
    static void up() {
        m = new TestMachine();
    }

    @AfterAll
    static void down() {
        m.close();
    }

    interface R {
        int enc(int rd, int rs1, int rs2);
    }

    /** x1 = a, x2 = b, then the instruction writing x3; returns x3. */
    static long rr(R insn, long a, long b) {
        Hart h = m.exec(new TestMachine.Code().li(1, a).li(2, b).add(insn.enc(3, 1, 2)).build());
        return h.x[3];
    }

    /** x1 = a, then the instruction (rd = 3, rs1 = 1); returns x3. */
    static long ri(IntUnaryOperator insnWithRs1, long a) {
        Hart h = m.exec(new TestMachine.Code().li(1, a).add(insnWithRs1.applyAsInt(0)).build());
        return h.x[3];
    }

    @Test
    void liHelperProducesConstants() {
        for (long v : new long[] {0, 1, -1, 2047, -2048, 2048, 0x7fffffffL, -0x80000000L, 0x80000000L, 0x123456789abcdef0L,
                Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, 0xdeadbeefcafebabeL}) {
            assertEquals(v, m.exec(Asm.li(5, v)).x[5], "li " + Long.toHexString(v));
        }
    }

    @Test
    void addSubAndWrapAround() {
        assertEquals(5, rr(Asm::add, 2, 3));
        assertEquals(Long.MIN_VALUE, rr(Asm::add, Long.MAX_VALUE, 1));
        assertEquals(-1, rr(Asm::sub, 2, 3));
        assertEquals(Long.MAX_VALUE, rr(Asm::sub, Long.MIN_VALUE, 1));
    }

    @Test
    void immediatesAreSignExtended() {
        assertEquals(-2047, ri(x -> addi(3, 1, -2048), 1));
        assertEquals(0xfffffffffffff800L, ri(x -> ori(3, 1, -2048), 0));
        assertEquals(0x0f0L, ri(x -> andi(3, 1, 0xff0), 0xff)); // 0xff0 is -16: mask keeps bits 4..7 and above
        assertEquals(0xffffffffffffff00L, ri(x -> xori(3, 1, -1), 0xff));
    }

    @Test
    void comparisons() {
        assertEquals(1, rr(Asm::slt, -1, 0));
        assertEquals(0, rr(Asm::sltu, -1, 0));
        assertEquals(1, rr(Asm::sltu, 0, -1));
        assertEquals(0, rr(Asm::slt, 5, 5));
        assertEquals(1, ri(x -> slti(3, 1, -1), Long.MIN_VALUE));
        assertEquals(1, ri(x -> sltiu(3, 1, -1), 5)); // -1 sign-extends, then compares unsigned: max
        assertEquals(0, ri(x -> sltiu(3, 1, 1), -1));
        assertEquals(1, ri(x -> sltiu(3, 1, 1), 0)); // seqz
    }

    @Test
    void shiftsUseLowSixBitsOfTheAmount() {
        assertEquals(1L << 63, rr(Asm::sll, 1, 63));
        assertEquals(2, rr(Asm::sll, 1, 65)); // 65 & 63 = 1
        assertEquals(1, rr(Asm::srl, Long.MIN_VALUE, 63));
        assertEquals(-1, rr(Asm::sra, Long.MIN_VALUE, 63));
        assertEquals(Long.MIN_VALUE, rr(Asm::sra, Long.MIN_VALUE, 64)); // shift by 0
        assertEquals(1L << 40, ri(x -> slli(3, 1, 40), 1));
        assertEquals(0x00ffffffffffffffL, ri(x -> srli(3, 1, 8), -1));
        assertEquals(-1, ri(x -> srai(3, 1, 63), Long.MIN_VALUE));
    }

    @Test
    void wordOperationsSignExtendTheirResult() {
        assertEquals(-0x80000000L, rr(Asm::addw, 0x7fffffff, 1));
        assertEquals(0x7fffffffL, rr(Asm::subw, -0x80000000L, 1));
        assertEquals(1, rr(Asm::addw, 0x1_0000_0000L, 1)); // upper bits ignored
        assertEquals(-0x80000000L, ri(x -> addiw(3, 1, 0), 0x80000000L)); // sext.w
        assertEquals(-0x80000000L, rr(Asm::sllw, 1, 31));
        assertEquals(2, rr(Asm::sllw, 1, 33)); // 5-bit amount
        assertEquals(1, rr(Asm::srlw, 0x80000000L, 31));
        assertEquals(0xffffffffL >>> 4 | 0, rr(Asm::srlw, 0xffffffffL, 4)); // 0x0fffffff
        assertEquals(-1, rr(Asm::sraw, 0x80000000L, 31));
        assertEquals(-0x08000000L, ri(x -> sraiw(3, 1, 4), 0x80000000L));
        assertEquals(0x08000000L, ri(x -> srliw(3, 1, 4), 0x80000000L));
        assertEquals(-0x80000000L, ri(x -> slliw(3, 1, 31), 1));
        assertEquals(0xfffffffffffff000L, m.exec(lui(4, 0xfffff000)).x[4]);
        assertEquals(0x7ffff000L, m.exec(lui(4, 0x7ffff000)).x[4]);
        assertEquals(-0x80000000L, m.exec(lui(4, 0x80000000)).x[4]);
    }

    @Test
    void bitwise() {
        assertEquals(0b0110, rr(Asm::xor, 0b1100, 0b1010));
        assertEquals(0b1110, rr(Asm::or, 0b1100, 0b1010));
        assertEquals(0b1000, rr(Asm::and, 0b1100, 0b1010));
    }

    @Test
    void writesToX0AreIgnored() {
        Hart h = m.exec(new TestMachine.Code().li(1, TestMachine.DATA).add(addi(0, 0, 5), add(0, 1, 1), lui(0, 0x12345000),
                jal(0, 4), auipc(0, 0x1000), ld(0, 1, 0), mop(0, 0, 1, 1), addiw(0, 1, 3), add(7, 0, 0)).build());
        assertEquals(0, h.x[0]);
        assertEquals(0, h.x[7]);
    }

    @Test
    void aLoadIntoX0StillFaults() {
        m.put(TestMachine.BASE + 0x100, EBREAK); // trap vector: stops the run
        Hart h = m.exec(new TestMachine.Code().li(1, TestMachine.BASE + 0x100).add(csrw(0x305, 1), ld(0, 0, 8)).build());
        assertEquals(5, h.mcause); // load access fault: address 8 is not RAM
        assertEquals(8, h.mtval);
    }

    @Test
    void auipcJalJalr() {
        Hart h = m.exec(auipc(5, 0x1000), jal(6, 8), addi(7, 0, 1), auipc(8, 0));
        assertEquals(TestMachine.BASE + 0x1000, h.x[5]);
        assertEquals(TestMachine.BASE + 8, h.x[6]);
        assertEquals(0, h.x[7]); // skipped
        assertEquals(TestMachine.BASE + 12, h.x[8]);
        // jalr clears bit 0 of the target and computes the link before jumping (rd == rs1)
        Hart j = m.exec(auipc(1, 0), addi(1, 1, 17), jalr(1, 1, 0), addi(7, 0, 1), addi(9, 0, 2));
        assertEquals(0, j.x[7]);
        assertEquals(2, j.x[9]);
        assertEquals(TestMachine.BASE + 12, j.x[1]);
        // negative offsets
        Hart k = m.exec(jal(0, 12), addi(10, 10, 1), jal(0, 8), jal(0, -8), addi(11, 0, 3));
        assertEquals(1, k.x[10]);
        assertEquals(3, k.x[11]);
    }

    interface B {
        int enc(int a, int b, int off);
    }

    static boolean taken(B br, long a, long b) {
        Hart h = m.exec(new TestMachine.Code().li(1, a).li(2, b).add(addi(3, 0, 0), br.enc(1, 2, 8), addi(3, 0, 1), addi(4, 0, 0))
                .build());
        return h.x[3] == 0;
    }

    @Test
    void branches() {
        assertEquals(true, taken(Asm::beq, 7, 7));
        assertEquals(false, taken(Asm::beq, 7, 8));
        assertEquals(true, taken(Asm::bne, 7, 8));
        assertEquals(true, taken(Asm::blt, -1, 0));
        assertEquals(false, taken(Asm::blt, 0, -1));
        assertEquals(true, taken(Asm::bge, 0, 0));
        assertEquals(true, taken(Asm::bge, 0, Long.MIN_VALUE));
        assertEquals(false, taken(Asm::bltu, -1, 0));
        assertEquals(true, taken(Asm::bltu, 0, -1));
        assertEquals(true, taken(Asm::bgeu, -1, 0));
        assertEquals(false, taken(Asm::bgeu, 0, Long.MIN_VALUE));
    }

    @Test
    void loadsAndStoresAllWidthsAndSignExtension() {
        long d = TestMachine.DATA;
        m.store64(d, 0x8899aabbccddeeffL);
        Hart h = m.exec(new TestMachine.Code().li(1, d).add(lb(2, 1, 0), lbu(3, 1, 0), lh(4, 1, 0), lhu(5, 1, 0), lw(6, 1, 4),
                lwu(7, 1, 4), ld(8, 1, 0), lb(9, 1, 7)).build());
        assertEquals((byte) 0xff, h.x[2]);
        assertEquals(0xff, h.x[3]);
        assertEquals((short) 0xeeff, h.x[4]);
        assertEquals(0xeeff, h.x[5]);
        assertEquals((int) 0x8899aabb, h.x[6]);
        assertEquals(0x8899aabbL, h.x[7]);
        assertEquals(0x8899aabbccddeeffL, h.x[8]);
        assertEquals((byte) 0x88, h.x[9]);
        Hart s = m.exec(new TestMachine.Code().li(1, d + 16).li(2, 0x1122334455667788L)
                .add(sd(0, 1, 0), sb(2, 1, 0), sh(2, 1, 2), sw(2, 1, 4), sd(2, 1, 8), sd(2, 1, -8 + 24)).build());
        assertEquals(0x5566778877880088L, m.load64(d + 16));
        assertEquals(0x1122334455667788L, m.load64(d + 24));
        assertEquals(0x1122334455667788L, m.load64(d + 32));
        assertEquals(0, s.x[0]);
        // misaligned accesses are performed in place (hv.memory's documented choice)
        m.store64(d + 8, 0x0123456789abcdefL);
        Hart mis = m.exec(new TestMachine.Code().li(1, d + 1).add(ld(2, 1, 0)).build());
        assertEquals((m.load64(d) >>> 8) | (m.load64(d + 8) << 56), mis.x[2]);
    }

    @Test
    void multiply() {
        R mul = (rd, a, b) -> mop(0, rd, a, b), mulh = (rd, a, b) -> mop(1, rd, a, b), mulhsu = (rd, a, b) -> mop(2, rd, a, b),
                mulhu = (rd, a, b) -> mop(3, rd, a, b), mulw = (rd, a, b) -> mopw(0, rd, a, b);
        assertEquals(6, rr(mul, 2, 3));
        assertEquals(1, rr(mul, -1, -1));
        assertEquals(0, rr(mulh, -1, -1) + 0); // (-1 * -1) >> 64 = 0
        assertEquals(-1, rr(mulh, -1, 1));
        assertEquals(0x4000000000000000L, rr(mulh, Long.MIN_VALUE, Long.MIN_VALUE));
        assertEquals(-1, rr(mulhsu, -1, 1)); // -1 * 1 = -1 -> high = -1
        assertEquals(-1, rr(mulhsu, -1, -1)); // -1 * (2^64-1) = -(2^64) + 1 -> high = -1
        assertEquals(0, rr(mulhsu, 1, -1)); // 1 * (2^64 - 1) -> high 0
        assertEquals(-2, rr(mulhu, -1, -1) + 0 - 0); // (2^64-1)^2 >> 64 = 2^64 - 2
        assertEquals(0, rr(mulhu, 1L << 32, 1L << 31));
        assertEquals(1, rr(mulhu, 1L << 32, 1L << 32));
        assertEquals(-0x80000000L, rr(mulw, 0x10000, 0x8000));
        assertEquals(0, rr(mulw, 1L << 32, 5));
    }

    @Test
    void divideAndRemainderEdgeCases() {
        R div = (rd, a, b) -> mop(4, rd, a, b), divu = (rd, a, b) -> mop(5, rd, a, b), rem = (rd, a, b) -> mop(6, rd, a, b),
                remu = (rd, a, b) -> mop(7, rd, a, b);
        R divw = (rd, a, b) -> mopw(4, rd, a, b), divuw = (rd, a, b) -> mopw(5, rd, a, b), remw = (rd, a, b) -> mopw(6, rd, a, b),
                remuw = (rd, a, b) -> mopw(7, rd, a, b);
        assertEquals(-3, rr(div, 7, -2)); // rounds toward zero
        assertEquals(1, rr(rem, 7, -2));
        assertEquals(-1, rr(rem, -7, 2));
        assertEquals(-1, rr(div, 5, 0));
        assertEquals(5, rr(rem, 5, 0));
        assertEquals(-1, rr(divu, 5, 0));
        assertEquals(5, rr(remu, 5, 0));
        assertEquals(Long.MIN_VALUE, rr(div, Long.MIN_VALUE, -1));
        assertEquals(0, rr(rem, Long.MIN_VALUE, -1));
        assertEquals(Long.MAX_VALUE, rr(divu, -1, 2));
        assertEquals(1, rr(remu, -1, 2));
        assertEquals(-1, rr(divw, 5, 0));
        assertEquals(-0x80000000L, rr(divw, 0x80000000L, -1));
        assertEquals(0, rr(remw, 0x80000000L, -1));
        assertEquals(-1, rr(divuw, 5, 0));
        assertEquals(0x7fffffffL, rr(divuw, 0xfffffffeL, 2));
        assertEquals(-1, rr(divuw, 0xffffffffL, 1)); // 0xffffffff sign-extended
        assertEquals(-2, rr(remuw, 0xfffffffeL, 0)); // dividend, sign-extended
        assertEquals(5, rr(remw, 0x1_0000_0005L, 0));
        assertEquals(-3, rr(divw, 0x1_0000_0007L, -2)); // upper bits ignored
    }
}
