package hv.cpu.diff;

import java.util.SplittableRandom;

/**
 * Random raw instruction words for the encoding differential test: 32-bit words in the user-level
 * major opcodes of RV64GC + Zba/Zbb/Zbs (fields random, funct fields biased towards the values in
 * use so that legal and nearly-legal encodings both appear), a few reserved/custom/vector opcodes,
 * and 16-bit RVC words from all three quadrants, including reserved forms.
 *
 * <p>Left out, because the two emulators may legitimately differ or the word could leave the test:
 * control transfer (BRANCH, JAL, JALR, c.j, c.beqz, c.bnez, c.jr, c.jalr), ecall/ebreak/xRET/WFI
 * (SYSTEM with funct3 0 or 4), the counters (cycle/time/instret/hpmcounter CSRs: values differ),
 * Zicbom/Zicboz (MISC-MEM funct3 2) and Zbc's clmul* (qemu 7.2 enables Zbc, HV does not claim it),
 * and every word whose bits 11:7 name x31: x31 carries the scratch pointer the epilogue needs.
 */
final class EncodingGenerator {
    static final int LOAD = 0x03, LOAD_FP = 0x07, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC = 0x17, OP_IMM_32 = 0x1b,
            STORE = 0x23, STORE_FP = 0x27, AMO = 0x2f, OP = 0x33, LUI = 0x37, OP_32 = 0x3b, MADD = 0x43, MSUB = 0x47,
            NMSUB = 0x4b, NMADD = 0x4f, OP_FP = 0x53, SYSTEM = 0x73;
    private static final int[] RESERVED_OPCODES = {0x0b, 0x2b, 0x57, 0x5b, 0x6b, 0x77, 0x7b, 0x1f, 0x3f, 0x7f};
    private static final int[] OP_FUNCT7 = {0x00, 0x20, 0x01, 0x05, 0x10, 0x14, 0x24, 0x34, 0x30, 0x04};
    private static final int[] OP32_FUNCT7 = {0x00, 0x20, 0x01, 0x04, 0x10, 0x30, 0x05};
    /** OP-FP funct7 of F and D (spec chapter 24 opcode map), plus a few of Zfh/Q to be refused. */
    private static final int[] FP_FUNCT7 = {0x00, 0x01, 0x04, 0x05, 0x08, 0x09, 0x0c, 0x0d, 0x2c, 0x2d, 0x10, 0x11,
            0x14, 0x15, 0x20, 0x21, 0x50, 0x51, 0x60, 0x61, 0x68, 0x69, 0x70, 0x71, 0x78, 0x79, 0x02, 0x03, 0x22, 0x62};
    private static final int[] AMO_FUNCT5 = {0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c};

    private final SplittableRandom r;

    EncodingGenerator(long seed) {
        r = new SplittableRandom(BlockGenerator.blockSeed(seed, -7));
    }

    /** A random word: {@code (bits & 0xffff_ffffL) | (long) length << 32} with length 2 or 4. */
    long next() {
        for (;;) {
            boolean compressed = r.nextInt(3) == 0;
            int w = compressed ? word16() : word32();
            if (((w >>> 7) & 31) == 31 || excluded(w, compressed)) {
                continue;
            }
            return (w & 0xffff_ffffL) | (long) (compressed ? 2 : 4) << 32;
        }
    }

    private int word32() {
        int w = r.nextInt();
        return switch (r.nextInt(24)) {
            case 0, 1 -> set(w, LOAD);
            case 2 -> set(w, LOAD_FP);
            case 3 -> set(w, STORE);
            case 4 -> set(w, STORE_FP);
            case 5 -> set(w, MISC_MEM);
            case 6, 7 -> set(w, OP_IMM);
            case 8 -> set(w, OP_IMM_32);
            case 9 -> r.nextBoolean() ? set(w, AUIPC) : set(w, LUI);
            case 10, 11, 12 -> funct7(set(w, OP), OP_FUNCT7);
            case 13 -> funct7(set(w, OP_32), OP32_FUNCT7);
            case 14, 15 -> {
                int a = set(w, AMO);
                if (r.nextInt(8) != 0) {
                    a = (a & ~0x7000) | ((2 + r.nextInt(2)) << 12);
                }
                if (r.nextInt(6) != 0) {
                    a = (a & 0x07ff_ffff) | (AMO_FUNCT5[r.nextInt(AMO_FUNCT5.length)] << 27);
                }
                yield a;
            }
            case 16, 17, 18, 19 -> funct7(set(w, OP_FP), FP_FUNCT7);
            case 20 -> set(w, new int[] {MADD, MSUB, NMSUB, NMADD}[r.nextInt(4)]);
            case 21 -> {
                int s = set(w, SYSTEM) & ~0x7000;
                s |= new int[] {1, 2, 3, 5, 6, 7}[r.nextInt(6)] << 12;
                int csr = r.nextInt(3) != 0 ? 1 + r.nextInt(3) : r.nextInt(4096);
                yield (s & 0x000f_ffff) | (csr << 20);
            }
            case 22 -> (w & ~0x7f) | RESERVED_OPCODES[r.nextInt(RESERVED_OPCODES.length)];
            default -> w | 3; // any major opcode, every field random
        };
    }

    private static int set(int w, int opcode) {
        return (w & ~0x7f) | opcode;
    }

    private int funct7(int w, int[] choices) {
        return r.nextInt(5) == 0 ? w : (w & 0x01ff_ffff) | (choices[r.nextInt(choices.length)] << 25);
    }

    private int word16() {
        int h = r.nextInt(1 << 16);
        if ((h & 3) == 3) {
            h &= ~r.nextInt(1, 4); // quadrants 0, 1, 2 only
        }
        return h;
    }

    /** See the class comment for why each of these is never generated. */
    static boolean excluded(int w, boolean compressed) {
        if (compressed) {
            int quadrant = w & 3;
            int f3 = (w >>> 13) & 7;
            if (quadrant == 1 && f3 >= 5) {
                return true; // c.j, c.beqz, c.bnez
            }
            if (quadrant == 2 && f3 == 4 && ((w >>> 2) & 31) == 0) {
                // c.jr / c.jalr / c.ebreak; c.jr with rs1 = 0 is reserved and stays (must be illegal)
                return ((w >>> 7) & 31) != 0 || ((w >>> 12) & 1) != 0;
            }
            return false;
        }
        int op = w & 0x7f;
        int f3 = (w >>> 12) & 7;
        int f7 = w >>> 25;
        if (op == 0x63 || op == 0x67 || op == 0x6f) {
            return true;
        }
        if (op == SYSTEM) {
            int csr = w >>> 20;
            return f3 == 0 || f3 == 4 || (csr >= 0xc00 && csr <= 0xc9f);
        }
        if (op == MISC_MEM && f3 == 2) {
            return true;
        }
        return op == OP && f7 == 0x05 && f3 >= 1 && f3 <= 3;
    }
}
