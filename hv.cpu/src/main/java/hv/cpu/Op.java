package hv.cpu;

/**
 * The small dense opcode numbers of decoded instructions, and the layout of a decoded entry.
 *
 * <p>A decoded instruction is one {@code long} so that the interpreter does a single array load
 * per instruction: bits 0-7 op, 8-13 rd (0..32: an integer destination x0 is mapped to the dummy
 * slot 32 so writes need no check), 14-18 rs1, 19-23 rs2, 24-28 rs3 (or a sub-kind), bit 29 set
 * for a 32-bit instruction (clear for RVC), bits 32-63 the sign-extended immediate.
 *
 * <p>Ops below {@link #FIRST_EXT} and the RVC twins (224 and up) are executed inline by {@link Hart}'s
 * dispatch loop; the rest (Zb*, atomics, FP arithmetic) by helper methods, so that the hot loop stays
 * small enough for the JIT to compile it whole (HotSpot refuses methods above 8000 bytecodes).
 */
final class Op {
    private Op() {
    }

    // --- structure ---
    static final int UNDECODED = 0, END = 1, ILLEGAL = 2, CROSS = 3, NOP = 4;
    // --- RV64I ---
    static final int LUI = 5, AUIPC = 6, JAL = 7, JALR = 8;
    static final int BEQ = 9, BNE = 10, BLT = 11, BGE = 12, BLTU = 13, BGEU = 14;
    static final int LB = 15, LH = 16, LW = 17, LD = 18, LBU = 19, LHU = 20, LWU = 21;
    static final int SB = 22, SH = 23, SW = 24, SD = 25;
    static final int ADDI = 26, SLTI = 27, SLTIU = 28, XORI = 29, ORI = 30, ANDI = 31, SLLI = 32, SRLI = 33, SRAI = 34;
    static final int ADD = 35, SUB = 36, SLL = 37, SLT = 38, SLTU = 39, XOR = 40, SRL = 41, SRA = 42, OR = 43, AND = 44;
    static final int ADDIW = 45, SLLIW = 46, SRLIW = 47, SRAIW = 48, ADDW = 49, SUBW = 50, SLLW = 51, SRLW = 52, SRAW = 53;
    // --- M ---
    static final int MUL = 54, MULH = 55, MULHSU = 56, MULHU = 57, DIV = 58, DIVU = 59, REM = 60, REMU = 61;
    static final int MULW = 62, DIVW = 63, DIVUW = 64, REMW = 65, REMUW = 66;
    // --- FP loads/stores (inline: common in compiled code) ---
    static final int FLW = 67, FLD = 68, FSW = 69, FSD = 70;
    // --- specialisations of common forms ---
    static final int LI = 71, MV = 72, J = 73;
    // --- system: always end the block ---
    static final int FENCE_I = 80, ECALL = 81, EBREAK = 82, MRET = 83, SRET = 84, WFI = 85, SFENCE_VMA = 86, CSR = 87;
    /** Zihintpause PAUSE (a FENCE hint): exits with {@link ExitReason#PAUSE} so the VMM can yield the host thread. */
    static final int PAUSE = 88;

    /** First op executed by a helper instead of inline. */
    static final int FIRST_EXT = 96;
    // --- Zba ---
    static final int ADD_UW = 96, SH1ADD = 97, SH2ADD = 98, SH3ADD = 99, SH1ADD_UW = 100, SH2ADD_UW = 101, SH3ADD_UW = 102, SLLI_UW = 103;
    // --- Zbb ---
    static final int ANDN = 104, ORN = 105, XNOR = 106, CLZ = 107, CLZW = 108, CTZ = 109, CTZW = 110, CPOP = 111, CPOPW = 112;
    static final int MAX = 113, MAXU = 114, MIN = 115, MINU = 116, SEXT_B = 117, SEXT_H = 118, ZEXT_H = 119;
    static final int ROL = 120, ROLW = 121, ROR = 122, RORI = 123, RORIW = 124, RORW = 125, ORC_B = 126, REV8 = 127;
    // --- Zbs ---
    static final int BCLR = 128, BCLRI = 129, BEXT = 130, BEXTI = 131, BINV = 132, BINVI = 133, BSET = 134, BSETI = 135;
    // --- A: rs3 holds funct5 for AMOs ---
    static final int LR_W = 136, SC_W = 137, AMO_W = 138, LR_D = 139, SC_D = 140, AMO_D = 141;

    /** First FP op (all need mstatus.FS != Off); rs3 field = rs3, imm = static rm (7 = dynamic). */
    static final int FIRST_FP = 160;
    static final int FADD_S = 160, FSUB_S = 161, FMUL_S = 162, FDIV_S = 163, FSQRT_S = 164, FSGNJ_S = 165, FSGNJN_S = 166,
            FSGNJX_S = 167, FMIN_S = 168, FMAX_S = 169, FCVT_W_S = 170, FCVT_WU_S = 171, FCVT_L_S = 172, FCVT_LU_S = 173,
            FMV_X_W = 174, FCLASS_S = 175, FEQ_S = 176, FLT_S = 177, FLE_S = 178, FCVT_S_W = 179, FCVT_S_WU = 180,
            FCVT_S_L = 181, FCVT_S_LU = 182, FMV_W_X = 183, FMADD_S = 184, FMSUB_S = 185, FNMSUB_S = 186, FNMADD_S = 187;
    static final int FADD_D = 192, FSUB_D = 193, FMUL_D = 194, FDIV_D = 195, FSQRT_D = 196, FSGNJ_D = 197, FSGNJN_D = 198,
            FSGNJX_D = 199, FMIN_D = 200, FMAX_D = 201, FCVT_W_D = 202, FCVT_WU_D = 203, FCVT_L_D = 204, FCVT_LU_D = 205,
            FMV_X_D = 206, FCLASS_D = 207, FEQ_D = 208, FLT_D = 209, FLE_D = 210, FCVT_D_W = 211, FCVT_D_WU = 212,
            FCVT_D_L = 213, FCVT_D_LU = 214, FMV_D_X = 215, FMADD_D = 216, FMSUB_D = 217, FNMSUB_D = 218, FNMADD_D = 219;
    static final int FCVT_S_D = 220, FCVT_D_S = 221;

    /**
     * RVC twins: the same semantics as the base op but advancing by one halfword, so the interpreter's
     * step is a constant per case (see Hart.loop). Only ops that RVC instructions expand to.
     */
    static final int C_NOP = 224, C_LI = 225, C_MV = 226, C_ADDI = 227, C_ADDIW = 228, C_LUI = 229, C_SLLI = 230, C_SRLI = 231,
            C_SRAI = 232, C_ANDI = 233, C_ADD = 234, C_SUB = 235, C_XOR = 236, C_OR = 237, C_AND = 238, C_ADDW = 239,
            C_SUBW = 240, C_LW = 241, C_LD = 242, C_SW = 243, C_SD = 244, C_FLD = 245, C_FSD = 246, C_BEQ = 247, C_BNE = 248;

    /**
     * Marks an entry whose instruction starts a translated region (DecodeCache.Page.regions holds the
     * region and the original entry). Not an instruction: the interpreter's fast path treats it like
     * any op it does not handle and Hart.loop runs the region.
     */
    static final int JIT_REGION = 252;

    /** The RVC twin of a base op, or the op itself when it has none. */
    static int compressedTwin(int op) {
        return switch (op) {
            case NOP -> C_NOP;
            case LI -> C_LI;
            case MV -> C_MV;
            case ADDI -> C_ADDI;
            case ADDIW -> C_ADDIW;
            case LUI -> C_LUI;
            case SLLI -> C_SLLI;
            case SRLI -> C_SRLI;
            case SRAI -> C_SRAI;
            case ANDI -> C_ANDI;
            case ADD -> C_ADD;
            case SUB -> C_SUB;
            case XOR -> C_XOR;
            case OR -> C_OR;
            case AND -> C_AND;
            case ADDW -> C_ADDW;
            case SUBW -> C_SUBW;
            case LW -> C_LW;
            case LD -> C_LD;
            case SW -> C_SW;
            case SD -> C_SD;
            case FLD -> C_FLD;
            case FSD -> C_FSD;
            case BEQ -> C_BEQ;
            case BNE -> C_BNE;
            default -> op;
        };
    }

    // --- entry layout ---
    static final int RD_SHIFT = 8, RS1_SHIFT = 14, RS2_SHIFT = 19, RS3_SHIFT = 24;
    static final long LONG_INSN = 1L << 29;
    /** The dummy register slot that absorbs writes to x0. */
    static final int X0_SINK = 32;

    static long entry(int op, int rd, int rs1, int rs2, int rs3, long imm) {
        return (op & 0xff) | ((long) rd << RD_SHIFT) | ((long) rs1 << RS1_SHIFT) | ((long) rs2 << RS2_SHIFT)
                | ((long) rs3 << RS3_SHIFT) | (imm << 32);
    }

    static int op(long e) {
        return (int) e & 0xff;
    }

    static int rd(long e) {
        return (int) (e >>> RD_SHIFT) & 63;
    }

    static int rs1(long e) {
        return (int) (e >>> RS1_SHIFT) & 31;
    }

    static int rs2(long e) {
        return (int) (e >>> RS2_SHIFT) & 31;
    }

    static int rs3(long e) {
        return (int) (e >>> RS3_SHIFT) & 31;
    }

    static long imm(long e) {
        return e >> 32;
    }

    /** Instruction length in halfwords (1 for RVC, 2 otherwise). */
    static int halfwords(long e) {
        return 1 + ((int) (e >>> 29) & 1);
    }
}
