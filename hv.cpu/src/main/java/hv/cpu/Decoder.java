package hv.cpu;

import static hv.cpu.Op.*;

/**
 * Turns raw instruction bits into the packed entries of {@link Op}. Pure functions of the bits:
 * that is what makes caching decoded pages sound. Every encoding not listed by the specs we
 * implement (RV64IMAFDC, Zicsr, Zifencei, Zba, Zbb, Zbs) decodes to {@link Op#ILLEGAL} carrying the
 * raw bits for xtval (privileged spec 3.1.16).
 *
 * <p>RVC instructions are expanded to their 32-bit equivalents (unprivileged spec chapter 16 gives
 * each as an expansion) and decoded by the same code, so a compressed form can never behave
 * differently from its expansion.
 */
final class Decoder {
    private Decoder() {
    }

    /**
     * PAUSE (Zihintpause, unprivileged spec chapter "Zihintpause"): FENCE with pred = W, succ = 0,
     * fm = 0, rs1 = rd = x0. Architecturally a FENCE hint; Linux's cpu_relax() runs it in every
     * spin-wait iteration, so it is decoded as its own op (the VMM yields the host thread on it).
     */
    static final int PAUSE_BITS = 0x0100_000f;

    /** The entry for an illegal instruction whose bits are {@code raw} (16 or 32 bits). */
    static long illegal(int raw, boolean compressed) {
        return entry(ILLEGAL, 0, 0, 0, 0, raw) | (compressed ? 0 : LONG_INSN);
    }

    /** Decodes a 32-bit instruction (low two bits 11). */
    static long decode32(int raw) {
        long e = decodeBase(raw);
        return e == 0 ? illegal(raw, false) : e | LONG_INSN;
    }

    /** Decodes a 16-bit RVC instruction (low two bits not 11). */
    static long decode16(int raw) {
        int expanded = Rvc.expand(raw & 0xffff);
        if (expanded == 0) {
            return illegal(raw & 0xffff, true);
        }
        long e = decodeBase(expanded);
        if (e == 0) {
            return illegal(raw & 0xffff, true);
        }
        return (e & ~0xffL) | compressedTwin(Op.op(e));
    }

    private static int xd(int rd) {
        return rd == 0 ? X0_SINK : rd;
    }

    /** Integer ALU result: writes to x0 are architectural no-ops (HINTs included), so decode them as NOP. */
    private static long alu(int op, int rd, int rs1, int rs2, long imm) {
        if (rd == 0) {
            return entry(NOP, 0, 0, 0, 0, 0);
        }
        return entry(op, rd, rs1, rs2, 0, imm);
    }

    static int immI(int raw) {
        return raw >> 20;
    }

    static int immS(int raw) {
        return ((raw >> 25) << 5) | ((raw >>> 7) & 0x1f);
    }

    static int immB(int raw) {
        return ((raw >> 31) << 12) | (((raw >>> 7) & 1) << 11) | (((raw >>> 25) & 0x3f) << 5) | (((raw >>> 8) & 0xf) << 1);
    }

    static int immJ(int raw) {
        return ((raw >> 31) << 20) | (raw & 0xff000) | (((raw >>> 20) & 1) << 11) | (((raw >>> 21) & 0x3ff) << 1);
    }

    /** Returns 0 for an illegal encoding (0 is never a valid entry: op UNDECODED). */
    private static long decodeBase(int raw) {
        int opcode = raw & 0x7f;
        int rd = (raw >>> 7) & 31;
        int f3 = (raw >>> 12) & 7;
        int rs1 = (raw >>> 15) & 31;
        int rs2 = (raw >>> 20) & 31;
        int f7 = raw >>> 25;
        switch (opcode) {
            case 0x37: // LUI
                return alu(LUI, rd, 0, 0, raw & 0xfffff000);
            case 0x17: // AUIPC
                return alu(AUIPC, rd, 0, 0, raw & 0xfffff000);
            case 0x6f: // JAL
                return entry(rd == 0 ? J : JAL, xd(rd), 0, 0, 0, immJ(raw));
            case 0x67: // JALR
                return f3 != 0 ? 0 : entry(JALR, xd(rd), rs1, 0, 0, immI(raw));
            case 0x63: { // branches
                int op = switch (f3) {
                    case 0 -> BEQ;
                    case 1 -> BNE;
                    case 4 -> BLT;
                    case 5 -> BGE;
                    case 6 -> BLTU;
                    case 7 -> BGEU;
                    default -> -1;
                };
                return op < 0 ? 0 : entry(op, 0, rs1, rs2, 0, immB(raw));
            }
            case 0x03: { // loads: executed even with rd = x0 (they may fault or touch MMIO)
                int op = switch (f3) {
                    case 0 -> LB;
                    case 1 -> LH;
                    case 2 -> LW;
                    case 3 -> LD;
                    case 4 -> LBU;
                    case 5 -> LHU;
                    case 6 -> LWU;
                    default -> -1;
                };
                return op < 0 ? 0 : entry(op, xd(rd), rs1, 0, 0, immI(raw));
            }
            case 0x23: { // stores
                int op = switch (f3) {
                    case 0 -> SB;
                    case 1 -> SH;
                    case 2 -> SW;
                    case 3 -> SD;
                    default -> -1;
                };
                return op < 0 ? 0 : entry(op, 0, rs1, rs2, 0, immS(raw));
            }
            case 0x13:
                return opImm(raw, rd, f3, rs1);
            case 0x1b:
                return opImm32(raw, rd, f3, rs1);
            case 0x33:
                return op(rd, f3, rs1, rs2, f7);
            case 0x3b:
                return op32(rd, f3, rs1, rs2, f7);
            case 0x0f: // MISC-MEM: FENCE (incl. FENCE.TSO) is a no-op for us: every guest access is already ordered
                if (raw == PAUSE_BITS) {
                    return entry(PAUSE, 0, 0, 0, 0, 0);
                }
                if (f3 == 0) {
                    return entry(NOP, 0, 0, 0, 0, 0);
                }
                return f3 == 1 ? entry(FENCE_I, 0, 0, 0, 0, 0) : 0;
            case 0x73:
                return system(raw, rd, f3, rs1, rs2, f7);
            case 0x2f:
                return amo(rd, f3, rs1, rs2, f7);
            case 0x07: // LOAD-FP
                return f3 == 2 ? entry(FLW, rd, rs1, 0, 0, immI(raw)) : f3 == 3 ? entry(FLD, rd, rs1, 0, 0, immI(raw)) : 0;
            case 0x27: // STORE-FP
                return f3 == 2 ? entry(FSW, 0, rs1, rs2, 0, immS(raw)) : f3 == 3 ? entry(FSD, 0, rs1, rs2, 0, immS(raw)) : 0;
            case 0x43, 0x47, 0x4b, 0x4f:
                return fma(raw, opcode, rd, f3, rs1, rs2);
            case 0x53:
                return opFp(rd, f3, rs1, rs2, f7);
            default:
                return 0;
        }
    }

    private static long opImm(int raw, int rd, int f3, int rs1) {
        int imm = immI(raw);
        int shamt = imm & 63;
        int f6 = (raw >>> 26) & 63;
        switch (f3) {
            case 0:
                if (rd == 0) {
                    return entry(NOP, 0, 0, 0, 0, 0);
                }
                if (rs1 == 0) {
                    return entry(LI, rd, 0, 0, 0, imm);
                }
                return imm == 0 ? entry(MV, rd, rs1, 0, 0, 0) : entry(ADDI, rd, rs1, 0, 0, imm);
            case 2:
                return alu(SLTI, rd, rs1, 0, imm);
            case 3:
                return alu(SLTIU, rd, rs1, 0, imm);
            case 4:
                return alu(XORI, rd, rs1, 0, imm);
            case 6:
                return alu(ORI, rd, rs1, 0, imm);
            case 7:
                return alu(ANDI, rd, rs1, 0, imm);
            case 1:
                switch (f6) {
                    case 0:
                        return alu(SLLI, rd, rs1, 0, shamt);
                    case 0b001010:
                        return alu(BSETI, rd, rs1, 0, shamt);
                    case 0b010010:
                        return alu(BCLRI, rd, rs1, 0, shamt);
                    case 0b011010:
                        return alu(BINVI, rd, rs1, 0, shamt);
                    case 0b011000:
                        switch (imm & 0xfff) {
                            case 0x600:
                                return alu(CLZ, rd, rs1, 0, 0);
                            case 0x601:
                                return alu(CTZ, rd, rs1, 0, 0);
                            case 0x602:
                                return alu(CPOP, rd, rs1, 0, 0);
                            case 0x604:
                                return alu(SEXT_B, rd, rs1, 0, 0);
                            case 0x605:
                                return alu(SEXT_H, rd, rs1, 0, 0);
                            default:
                                return 0;
                        }
                    default:
                        return 0;
                }
            case 5:
                switch (f6) {
                    case 0:
                        return alu(SRLI, rd, rs1, 0, shamt);
                    case 0b010000:
                        return alu(SRAI, rd, rs1, 0, shamt);
                    case 0b011000:
                        return alu(RORI, rd, rs1, 0, shamt);
                    case 0b010010:
                        return alu(BEXTI, rd, rs1, 0, shamt);
                    default:
                        if ((imm & 0xfff) == 0x287) {
                            return alu(ORC_B, rd, rs1, 0, 0);
                        }
                        if ((imm & 0xfff) == 0x6b8) {
                            return alu(REV8, rd, rs1, 0, 0);
                        }
                        return 0;
                }
            default:
                return 0;
        }
    }

    private static long opImm32(int raw, int rd, int f3, int rs1) {
        int imm = immI(raw);
        int f7 = raw >>> 25;
        int shamt = imm & 31;
        switch (f3) {
            case 0:
                return alu(ADDIW, rd, rs1, 0, imm);
            case 1:
                if (f7 == 0) {
                    return alu(SLLIW, rd, rs1, 0, shamt);
                }
                if ((raw >>> 26) == 0b000010) {
                    return alu(SLLI_UW, rd, rs1, 0, imm & 63);
                }
                switch (imm & 0xfff) {
                    case 0x600:
                        return alu(CLZW, rd, rs1, 0, 0);
                    case 0x601:
                        return alu(CTZW, rd, rs1, 0, 0);
                    case 0x602:
                        return alu(CPOPW, rd, rs1, 0, 0);
                    default:
                        return 0;
                }
            case 5:
                return switch (f7) {
                    case 0 -> alu(SRLIW, rd, rs1, 0, shamt);
                    case 0x20 -> alu(SRAIW, rd, rs1, 0, shamt);
                    case 0x30 -> alu(RORIW, rd, rs1, 0, shamt);
                    default -> 0;
                };
            default:
                return 0;
        }
    }

    private static long op(int rd, int f3, int rs1, int rs2, int f7) {
        int op = switch (f7) {
            case 0x00 -> switch (f3) {
                case 0 -> ADD;
                case 1 -> SLL;
                case 2 -> SLT;
                case 3 -> SLTU;
                case 4 -> XOR;
                case 5 -> SRL;
                case 6 -> OR;
                default -> AND;
            };
            case 0x20 -> switch (f3) {
                case 0 -> SUB;
                case 5 -> SRA;
                case 4 -> XNOR;
                case 6 -> ORN;
                case 7 -> ANDN;
                default -> -1;
            };
            case 0x01 -> switch (f3) {
                case 0 -> MUL;
                case 1 -> MULH;
                case 2 -> MULHSU;
                case 3 -> MULHU;
                case 4 -> DIV;
                case 5 -> DIVU;
                case 6 -> REM;
                default -> REMU;
            };
            case 0x05 -> switch (f3) {
                case 4 -> MIN;
                case 5 -> MINU;
                case 6 -> MAX;
                case 7 -> MAXU;
                default -> -1;
            };
            case 0x10 -> switch (f3) {
                case 2 -> SH1ADD;
                case 4 -> SH2ADD;
                case 6 -> SH3ADD;
                default -> -1;
            };
            case 0x30 -> f3 == 1 ? ROL : f3 == 5 ? ROR : -1;
            case 0x14 -> f3 == 1 ? BSET : -1;
            case 0x24 -> f3 == 1 ? BCLR : f3 == 5 ? BEXT : -1;
            case 0x34 -> f3 == 1 ? BINV : -1;
            default -> -1;
        };
        if (op < 0) {
            return 0;
        }
        if (op == ADD && rs1 == 0) {
            return alu(MV, rd, rs2, 0, 0);
        }
        return alu(op, rd, rs1, rs2, 0);
    }

    private static long op32(int rd, int f3, int rs1, int rs2, int f7) {
        int op = switch (f7) {
            case 0x00 -> f3 == 0 ? ADDW : f3 == 1 ? SLLW : f3 == 5 ? SRLW : -1;
            case 0x20 -> f3 == 0 ? SUBW : f3 == 5 ? SRAW : -1;
            case 0x01 -> switch (f3) {
                case 0 -> MULW;
                case 4 -> DIVW;
                case 5 -> DIVUW;
                case 6 -> REMW;
                case 7 -> REMUW;
                default -> -1;
            };
            case 0x04 -> f3 == 0 ? ADD_UW : (f3 == 4 && rs2 == 0) ? ZEXT_H : -1;
            case 0x10 -> switch (f3) {
                case 2 -> SH1ADD_UW;
                case 4 -> SH2ADD_UW;
                case 6 -> SH3ADD_UW;
                default -> -1;
            };
            case 0x30 -> f3 == 1 ? ROLW : f3 == 5 ? RORW : -1;
            default -> -1;
        };
        return op < 0 ? 0 : alu(op, rd, rs1, rs2, 0);
    }

    private static long system(int raw, int rd, int f3, int rs1, int rs2, int f7) {
        if (f3 == 0) {
            switch (raw) {
                case 0x00000073:
                    return entry(ECALL, 0, 0, 0, 0, 0);
                case 0x00100073:
                    return entry(EBREAK, 0, 0, 0, 0, 0);
                case 0x30200073:
                    return entry(MRET, 0, 0, 0, 0, 0);
                case 0x10200073:
                    return entry(SRET, 0, 0, 0, 0, 0);
                case 0x10500073:
                    return entry(WFI, 0, 0, 0, 0, 0);
                default:
                    if (f7 == 0x09 && rd == 0) {
                        return entry(SFENCE_VMA, 0, rs1, rs2, 0, 0);
                    }
                    return 0;
            }
        }
        if (f3 == 4) {
            return 0; // hypervisor-extension loads/stores: not implemented
        }
        // CSR: rs3 field = funct3 (1..3, 5..7); rs1 field = rs1 or uimm; imm = CSR number. rd keeps 0
        // (not the sink) because CSRRW with rd = x0 must not read the CSR (Zicsr 9.1).
        return entry(CSR, rd, rs1, 0, f3, raw >>> 20);
    }

    private static long amo(int rd, int f3, int rs1, int rs2, int f7) {
        if (f3 != 2 && f3 != 3) {
            return 0;
        }
        boolean dword = f3 == 3;
        int funct5 = f7 >>> 2;
        switch (funct5) {
            case 0x02:
                return rs2 != 0 ? 0 : entry(dword ? LR_D : LR_W, xd(rd), rs1, 0, 0, 0);
            case 0x03:
                return entry(dword ? SC_D : SC_W, xd(rd), rs1, rs2, 0, 0);
            case 0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c:
                return entry(dword ? AMO_D : AMO_W, xd(rd), rs1, rs2, funct5, 0);
            default:
                return 0;
        }
    }

    private static boolean validRm(int rm) {
        return rm <= 4 || rm == 7;
    }

    private static long fma(int raw, int opcode, int rd, int rm, int rs1, int rs2) {
        int fmt = (raw >>> 25) & 3;
        int rs3 = raw >>> 27;
        if (fmt > 1 || !validRm(rm)) {
            return 0;
        }
        int base = fmt == 0 ? FMADD_S : FMADD_D;
        int op = base + ((opcode >>> 2) & 3); // 0x43 fmadd, 0x47 fmsub, 0x4b fnmsub, 0x4f fnmadd
        return entry(op, rd, rs1, rs2, rs3, rm);
    }

    private static long opFp(int rd, int f3, int rs1, int rs2, int f7) {
        int fmt = f7 & 3;
        if (fmt > 1) {
            return 0;
        }
        int d = fmt == 1 ? FADD_D - FADD_S : 0; // offset from the single op to the double op
        int rm = f3;
        switch (f7 >>> 2) {
            case 0b00000:
                return validRm(rm) ? entry(FADD_S + d, rd, rs1, rs2, 0, rm) : 0;
            case 0b00001:
                return validRm(rm) ? entry(FSUB_S + d, rd, rs1, rs2, 0, rm) : 0;
            case 0b00010:
                return validRm(rm) ? entry(FMUL_S + d, rd, rs1, rs2, 0, rm) : 0;
            case 0b00011:
                return validRm(rm) ? entry(FDIV_S + d, rd, rs1, rs2, 0, rm) : 0;
            case 0b01011:
                return rs2 == 0 && validRm(rm) ? entry(FSQRT_S + d, rd, rs1, 0, 0, rm) : 0;
            case 0b00100:
                return f3 <= 2 ? entry(FSGNJ_S + d + f3, rd, rs1, rs2, 0, 0) : 0;
            case 0b00101:
                return f3 <= 1 ? entry(FMIN_S + d + f3, rd, rs1, rs2, 0, 0) : 0;
            case 0b11000: // FCVT.{W,WU,L,LU}.{S,D}
                return rs2 <= 3 && validRm(rm) ? entry(FCVT_W_S + d + rs2, xd(rd), rs1, 0, 0, rm) : 0;
            case 0b11010: // FCVT.{S,D}.{W,WU,L,LU}
                return rs2 <= 3 && validRm(rm) ? entry(FCVT_S_W + d + rs2, rd, rs1, 0, 0, rm) : 0;
            case 0b11100:
                if (rs2 != 0) {
                    return 0;
                }
                return f3 == 0 ? entry(FMV_X_W + d, xd(rd), rs1, 0, 0, 0) : f3 == 1 ? entry(FCLASS_S + d, xd(rd), rs1, 0, 0, 0) : 0;
            case 0b10100:
                return switch (f3) {
                    case 2 -> entry(FEQ_S + d, xd(rd), rs1, rs2, 0, 0);
                    case 1 -> entry(FLT_S + d, xd(rd), rs1, rs2, 0, 0);
                    case 0 -> entry(FLE_S + d, xd(rd), rs1, rs2, 0, 0);
                    default -> 0;
                };
            case 0b11110:
                return rs2 == 0 && f3 == 0 ? entry(FMV_W_X + d, rd, rs1, 0, 0, 0) : 0;
            case 0b01000: // FCVT.S.D (fmt S, rs2 = 1) and FCVT.D.S (fmt D, rs2 = 0)
                if (!validRm(rm)) {
                    return 0;
                }
                if (fmt == 0 && rs2 == 1) {
                    return entry(FCVT_S_D, rd, rs1, 0, 0, rm);
                }
                if (fmt == 1 && rs2 == 0) {
                    return entry(FCVT_D_S, rd, rs1, 0, 0, rm);
                }
                return 0;
            default:
                return 0;
        }
    }
}
