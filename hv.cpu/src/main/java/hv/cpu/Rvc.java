package hv.cpu;

/**
 * Expands RV64C instructions to the 32-bit instructions they stand for (unprivileged spec,
 * chapter 16 "C" Standard Extension, tables 16.5-16.7). Returns 0 for reserved encodings and
 * for the all-zero instruction; HINT encodings expand to instructions writing x0 (no-ops).
 */
final class Rvc {
    private Rvc() {
    }

    private static int bit(int v, int b) {
        return (v >>> b) & 1;
    }

    private static int bits(int v, int hi, int lo) {
        return (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    private static int sext(int v, int width) {
        return (v << (32 - width)) >> (32 - width);
    }

    static int iType(int opcode, int rd, int f3, int rs1, int imm) {
        return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int sType(int opcode, int f3, int rs1, int rs2, int imm) {
        return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opcode;
    }

    static int rType(int opcode, int rd, int f3, int rs1, int rs2, int f7) {
        return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode;
    }

    static int bType(int f3, int rs1, int rs2, int imm) {
        return (bit(imm, 12) << 31) | (bits(imm, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
                | (bits(imm, 4, 1) << 8) | (bit(imm, 11) << 7) | 0x63;
    }

    static int jType(int rd, int imm) {
        return (bit(imm, 20) << 31) | (bits(imm, 10, 1) << 21) | (bit(imm, 11) << 20) | (bits(imm, 19, 12) << 12)
                | (rd << 7) | 0x6f;
    }

    static int expand(int c) {
        int quadrant = c & 3;
        int f3 = c >>> 13;
        int rdp = bits(c, 4, 2) + 8; // rd' / rs2'
        int rs1p = bits(c, 9, 7) + 8; // rs1' / rd'
        int rd = bits(c, 11, 7);
        int rs2 = bits(c, 6, 2);
        switch (quadrant) {
            case 0:
                switch (f3) {
                    case 0: { // C.ADDI4SPN
                        int imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
                        return imm == 0 ? 0 : iType(0x13, rdp, 0, 2, imm);
                    }
                    case 1: // C.FLD
                        return iType(0x07, rdp, 3, rs1p, ldOff(c));
                    case 2: // C.LW
                        return iType(0x03, rdp, 2, rs1p, lwOff(c));
                    case 3: // C.LD
                        return iType(0x03, rdp, 3, rs1p, ldOff(c));
                    case 5: // C.FSD
                        return sType(0x27, 3, rs1p, rdp, ldOff(c));
                    case 6: // C.SW
                        return sType(0x23, 2, rs1p, rdp, lwOff(c));
                    case 7: // C.SD
                        return sType(0x23, 3, rs1p, rdp, ldOff(c));
                    default: // 4: reserved
                        return 0;
                }
            case 1: {
                int imm6 = sext((bit(c, 12) << 5) | rs2, 6);
                switch (f3) {
                    case 0: // C.ADDI / C.NOP (rd = 0: HINT when imm != 0, NOP otherwise)
                        return iType(0x13, rd, 0, rd, imm6);
                    case 1: // C.ADDIW (rd = 0 reserved)
                        return rd == 0 ? 0 : iType(0x1b, rd, 0, rd, imm6);
                    case 2: // C.LI
                        return iType(0x13, rd, 0, 0, imm6);
                    case 3:
                        if (rd == 2) { // C.ADDI16SP
                            int imm = sext((bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (bits(c, 4, 3) << 7)
                                    | (bit(c, 2) << 5), 10);
                            return imm == 0 ? 0 : iType(0x13, 2, 0, 2, imm);
                        }
                        // C.LUI: nzimm = 0 reserved; rd = 0 HINT
                        return imm6 == 0 ? 0 : ((imm6 << 12) | (rd << 7) | 0x37);
                    case 4:
                        return miscAlu(c, rs1p, rdp);
                    case 5: { // C.J
                        return jType(0, jOff(c));
                    }
                    case 6: // C.BEQZ
                        return bType(0, rs1p, 0, bOff(c));
                    default: // C.BNEZ
                        return bType(1, rs1p, 0, bOff(c));
                }
            }
            case 2:
                switch (f3) {
                    case 0: { // C.SLLI (rd = 0 or shamt = 0: HINT)
                        int shamt = (bit(c, 12) << 5) | rs2;
                        return iType(0x13, rd, 1, rd, shamt);
                    }
                    case 1: // C.FLDSP
                        return iType(0x07, rd, 3, 2, ldspOff(c));
                    case 2: { // C.LWSP (rd = 0 reserved)
                        int imm = (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
                        return rd == 0 ? 0 : iType(0x03, rd, 2, 2, imm);
                    }
                    case 3: // C.LDSP (rd = 0 reserved)
                        return rd == 0 ? 0 : iType(0x03, rd, 3, 2, ldspOff(c));
                    case 4:
                        if (bit(c, 12) == 0) {
                            if (rs2 == 0) { // C.JR (rs1 = 0 reserved)
                                return rd == 0 ? 0 : iType(0x67, 0, 0, rd, 0);
                            }
                            return rType(0x33, rd, 0, 0, rs2, 0); // C.MV (rd = 0 HINT)
                        }
                        if (rs2 == 0) {
                            if (rd == 0) {
                                return 0x00100073; // C.EBREAK
                            }
                            return iType(0x67, 1, 0, rd, 0); // C.JALR
                        }
                        return rType(0x33, rd, 0, rd, rs2, 0); // C.ADD (rd = 0 HINT)
                    case 5: // C.FSDSP
                        return sType(0x27, 3, 2, rs2, sdspOff(c));
                    case 6: { // C.SWSP
                        int imm = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
                        return sType(0x23, 2, 2, rs2, imm);
                    }
                    default: // C.SDSP
                        return sType(0x23, 3, 2, rs2, sdspOff(c));
                }
            default:
                return 0;
        }
    }

    private static int miscAlu(int c, int rdp, int rs2p) {
        int f2 = bits(c, 11, 10);
        int shamt = (bit(c, 12) << 5) | bits(c, 6, 2);
        switch (f2) {
            case 0: // C.SRLI
                return iType(0x13, rdp, 5, rdp, shamt);
            case 1: // C.SRAI
                return iType(0x13, rdp, 5, rdp, shamt | 0x400);
            case 2: // C.ANDI
                return iType(0x13, rdp, 7, rdp, sext(shamt, 6));
            default: {
                int sub = bits(c, 6, 5);
                if (bit(c, 12) == 0) {
                    return switch (sub) {
                        case 0 -> rType(0x33, rdp, 0, rdp, rs2p, 0x20); // C.SUB
                        case 1 -> rType(0x33, rdp, 4, rdp, rs2p, 0); // C.XOR
                        case 2 -> rType(0x33, rdp, 6, rdp, rs2p, 0); // C.OR
                        default -> rType(0x33, rdp, 7, rdp, rs2p, 0); // C.AND
                    };
                }
                return switch (sub) {
                    case 0 -> rType(0x3b, rdp, 0, rdp, rs2p, 0x20); // C.SUBW
                    case 1 -> rType(0x3b, rdp, 0, rdp, rs2p, 0); // C.ADDW
                    default -> 0; // reserved (Zcb, not implemented)
                };
            }
        }
    }

    /** Offset of C.LD/C.SD/C.FLD/C.FSD: uimm[5:3] = c[12:10], uimm[7:6] = c[6:5]. */
    private static int ldOff(int c) {
        return (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6);
    }

    /** Offset of C.LW/C.SW: uimm[5:3] = c[12:10], uimm[2] = c[6], uimm[6] = c[5]. */
    private static int lwOff(int c) {
        return (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
    }

    /** Offset of C.LDSP/C.FLDSP: uimm[5] = c[12], uimm[4:3] = c[6:5], uimm[8:6] = c[4:2]. */
    private static int ldspOff(int c) {
        return (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
    }

    /** Offset of C.SDSP/C.FSDSP: uimm[5:3] = c[12:10], uimm[8:6] = c[9:7]. */
    private static int sdspOff(int c) {
        return (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
    }

    /** C.J offset[11|4|9:8|10|6|7|3:1|5] = c[12:2]. */
    private static int jOff(int c) {
        int imm = (bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10) | (bit(c, 7) << 6)
                | (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5);
        return sext(imm, 12);
    }

    /** C.BEQZ/C.BNEZ offset[8|4:3] = c[12:10], offset[7:6|2:1|5] = c[6:2]. */
    private static int bOff(int c) {
        int imm = (bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1) | (bit(c, 2) << 5);
        return sext(imm, 9);
    }
}
