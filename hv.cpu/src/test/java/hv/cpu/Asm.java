package hv.cpu;

/**
 * A tiny RV64 instruction encoder for tests, written from the unprivileged spec's encoding tables
 * (chapter 2 formats, chapter 37 opcode map), independently of the decoder under test.
 */
final class Asm {
    private Asm() {
    }

    // ---- formats ----
    static int r(int f7, int rs2, int rs1, int f3, int rd, int opcode) {
        return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int i(int imm, int rs1, int f3, int rd, int opcode) {
        return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int s(int imm, int rs2, int rs1, int f3, int opcode) {
        return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opcode;
    }

    static int b(int imm, int rs2, int rs1, int f3) {
        return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
                | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
    }

    static int u(int imm, int rd, int opcode) {
        return (imm & 0xfffff000) | (rd << 7) | opcode;
    }

    static int j(int imm, int rd) {
        return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20)
                | (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
    }

    // ---- RV64I ----
    static int lui(int rd, int imm) { return u(imm, rd, 0x37); }
    static int auipc(int rd, int imm) { return u(imm, rd, 0x17); }
    static int jal(int rd, int off) { return j(off, rd); }
    static int jalr(int rd, int rs1, int off) { return i(off, rs1, 0, rd, 0x67); }
    static int beq(int a, int b, int off) { return b(off, b, a, 0); }
    static int bne(int a, int b, int off) { return b(off, b, a, 1); }
    static int blt(int a, int b, int off) { return b(off, b, a, 4); }
    static int bge(int a, int b, int off) { return b(off, b, a, 5); }
    static int bltu(int a, int b, int off) { return b(off, b, a, 6); }
    static int bgeu(int a, int b, int off) { return b(off, b, a, 7); }
    static int lb(int rd, int rs1, int off) { return i(off, rs1, 0, rd, 0x03); }
    static int lh(int rd, int rs1, int off) { return i(off, rs1, 1, rd, 0x03); }
    static int lw(int rd, int rs1, int off) { return i(off, rs1, 2, rd, 0x03); }
    static int ld(int rd, int rs1, int off) { return i(off, rs1, 3, rd, 0x03); }
    static int lbu(int rd, int rs1, int off) { return i(off, rs1, 4, rd, 0x03); }
    static int lhu(int rd, int rs1, int off) { return i(off, rs1, 5, rd, 0x03); }
    static int lwu(int rd, int rs1, int off) { return i(off, rs1, 6, rd, 0x03); }
    static int sb(int rs2, int rs1, int off) { return s(off, rs2, rs1, 0, 0x23); }
    static int sh(int rs2, int rs1, int off) { return s(off, rs2, rs1, 1, 0x23); }
    static int sw(int rs2, int rs1, int off) { return s(off, rs2, rs1, 2, 0x23); }
    static int sd(int rs2, int rs1, int off) { return s(off, rs2, rs1, 3, 0x23); }
    static int addi(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x13); }
    static int slti(int rd, int rs1, int imm) { return i(imm, rs1, 2, rd, 0x13); }
    static int sltiu(int rd, int rs1, int imm) { return i(imm, rs1, 3, rd, 0x13); }
    static int xori(int rd, int rs1, int imm) { return i(imm, rs1, 4, rd, 0x13); }
    static int ori(int rd, int rs1, int imm) { return i(imm, rs1, 6, rd, 0x13); }
    static int andi(int rd, int rs1, int imm) { return i(imm, rs1, 7, rd, 0x13); }
    static int slli(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x13); }
    static int srli(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x13); }
    static int srai(int rd, int rs1, int sh) { return i(0x400 | sh, rs1, 5, rd, 0x13); }
    static int add(int rd, int a, int b) { return r(0, b, a, 0, rd, 0x33); }
    static int sub(int rd, int a, int b) { return r(0x20, b, a, 0, rd, 0x33); }
    static int sll(int rd, int a, int b) { return r(0, b, a, 1, rd, 0x33); }
    static int slt(int rd, int a, int b) { return r(0, b, a, 2, rd, 0x33); }
    static int sltu(int rd, int a, int b) { return r(0, b, a, 3, rd, 0x33); }
    static int xor(int rd, int a, int b) { return r(0, b, a, 4, rd, 0x33); }
    static int srl(int rd, int a, int b) { return r(0, b, a, 5, rd, 0x33); }
    static int sra(int rd, int a, int b) { return r(0x20, b, a, 5, rd, 0x33); }
    static int or(int rd, int a, int b) { return r(0, b, a, 6, rd, 0x33); }
    static int and(int rd, int a, int b) { return r(0, b, a, 7, rd, 0x33); }
    static int addiw(int rd, int rs1, int imm) { return i(imm, rs1, 0, rd, 0x1b); }
    static int slliw(int rd, int rs1, int sh) { return i(sh, rs1, 1, rd, 0x1b); }
    static int srliw(int rd, int rs1, int sh) { return i(sh, rs1, 5, rd, 0x1b); }
    static int sraiw(int rd, int rs1, int sh) { return i(0x400 | sh, rs1, 5, rd, 0x1b); }
    static int addw(int rd, int a, int b) { return r(0, b, a, 0, rd, 0x3b); }
    static int subw(int rd, int a, int b) { return r(0x20, b, a, 0, rd, 0x3b); }
    static int sllw(int rd, int a, int b) { return r(0, b, a, 1, rd, 0x3b); }
    static int srlw(int rd, int a, int b) { return r(0, b, a, 5, rd, 0x3b); }
    static int sraw(int rd, int a, int b) { return r(0x20, b, a, 5, rd, 0x3b); }
    static int fence() { return 0x0ff0000f; }
    static int fenceI() { return 0x0000100f; }
    static final int ECALL = 0x00000073, EBREAK = 0x00100073, MRET = 0x30200073, SRET = 0x10200073, WFI = 0x10500073;
    static int sfenceVma(int rs1, int rs2) { return r(0x09, rs2, rs1, 0, 0, 0x73); }

    // ---- M ----
    static int mop(int f3, int rd, int a, int b) { return r(1, b, a, f3, rd, 0x33); }
    static int mopw(int f3, int rd, int a, int b) { return r(1, b, a, f3, rd, 0x3b); }

    // ---- Zicsr ----
    static int csrrw(int rd, int csr, int rs1) { return i(csr, rs1, 1, rd, 0x73); }
    static int csrrs(int rd, int csr, int rs1) { return i(csr, rs1, 2, rd, 0x73); }
    static int csrrc(int rd, int csr, int rs1) { return i(csr, rs1, 3, rd, 0x73); }
    static int csrrwi(int rd, int csr, int uimm) { return i(csr, uimm, 5, rd, 0x73); }
    static int csrrsi(int rd, int csr, int uimm) { return i(csr, uimm, 6, rd, 0x73); }
    static int csrrci(int rd, int csr, int uimm) { return i(csr, uimm, 7, rd, 0x73); }
    static int csrr(int rd, int csr) { return csrrs(rd, csr, 0); }
    static int csrw(int csr, int rs1) { return csrrw(0, csr, rs1); }

    // ---- A ----
    static int amo(int funct5, boolean dword, int rd, int rs1, int rs2) {
        return r(funct5 << 2, rs2, rs1, dword ? 3 : 2, rd, 0x2f);
    }
    static int lr(boolean dword, int rd, int rs1) { return amo(0x02, dword, rd, rs1, 0); }
    static int sc(boolean dword, int rd, int rs1, int rs2) { return amo(0x03, dword, rd, rs1, rs2); }

    // ---- F/D ----
    static int flw(int rd, int rs1, int off) { return i(off, rs1, 2, rd, 0x07); }
    static int fld(int rd, int rs1, int off) { return i(off, rs1, 3, rd, 0x07); }
    static int fsw(int rs2, int rs1, int off) { return s(off, rs2, rs1, 2, 0x27); }
    static int fsd(int rs2, int rs1, int off) { return s(off, rs2, rs1, 3, 0x27); }
    /** OP-FP with funct7 = (funct5 << 2) | fmt. */
    static int fp(int funct5, int fmt, int rd, int rs1, int rs2, int rm) { return r((funct5 << 2) | fmt, rs2, rs1, rm, rd, 0x53); }
    static int fma(int opcode, int fmt, int rd, int rs1, int rs2, int rs3, int rm) {
        return (rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode;
    }

    // ---- pseudo: load a 64-bit constant with lui/addi/slli sequences (no x0 tricks) ----
    static int[] li(int rd, long value) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        liInto(out, rd, value);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void liInto(java.util.List<Integer> out, int rd, long v) {
        if (v >= -2048 && v < 2048) {
            out.add(addi(rd, 0, (int) v));
            return;
        }
        if (v == (int) v) {
            int lo = (int) (v << 52 >> 52);
            int hi = (int) v - lo;
            out.add(lui(rd, hi));
            if (lo != 0) {
                out.add(addiw(rd, rd, lo));
            }
            return;
        }
        long lo = v << 52 >> 52;
        long rest = (v - lo) >> 12;
        int shift = 12 + Long.numberOfTrailingZeros(rest);
        rest = (v - lo) >> shift;
        liInto(out, rd, rest);
        out.add(slli(rd, rd, shift));
        if (lo != 0) {
            out.add(addi(rd, rd, (int) lo));
        }
    }
}
