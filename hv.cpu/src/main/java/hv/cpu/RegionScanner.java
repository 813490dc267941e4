package hv.cpu;

import static hv.cpu.Op.*;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Finds the instructions of a region: from a hot entry of one decoded page, every instruction reachable
 * by fall-through and by direct branches and jumps whose target is in the same 4 KiB page (both
 * directions) or in ONE neighbouring virtual page (the next or the previous one, whichever the code
 * reaches first, if the hart has it decoded), up to a size cap, stopping at any instruction the
 * emitter does not translate (the region exits to the interpreter there). Entries not decoded yet
 * are decoded here, exactly as the interpreter would on first execution (decoding is a pure function
 * of the page snapshot).
 *
 * <p>Instructions are named by their halfword index relative to the start of the region's own page
 * ("vidx"): 0..2047 in the page itself, 2048..4095 in the next virtual page, -2048..-1 in the
 * previous one; {@code vbase + 2 * vidx} is the pc. The neighbour's mapping and bytes are checked
 * when the region's code crosses into it at run time (see {@link RegionEmitter}, {@link Hart#crossInto}).
 */
final class RegionScanner {
    private RegionScanner() {
    }

    /** A target outside the three pages a region can cover. */
    static final int NONE = Integer.MIN_VALUE;

    /**
     * The instructions of a region: indices (vidx, see the class comment) in ascending order and their
     * decoded entries; {@code side} = +1/-1 when some are in the next/previous virtual page (0: none),
     * then {@code second} is a copy of the bytes of that page they were decoded from.
     */
    record Region(int start, int[] indices, long[] entries, int side, byte[] second) {
        Region(int start, int[] indices, long[] entries) {
            this(start, indices, entries, 0, null);
        }

        int size() {
            return indices.length;
        }

        /** Position of entry index {@code idx} in {@link #indices}, or a negative number. */
        int position(int idx) {
            return Arrays.binarySearch(indices, idx);
        }
    }

    /**
     * Whether {@link RegionEmitter} translates this decoded instruction. Everything else ends a region.
     * CSR instructions depend on the CSR: see {@link #csrKind}.
     */
    static boolean translatable(long e) {
        int op = op(e);
        return op == CSR ? csrKind(e) != CSR_UNTRANSLATED : translatable(op);
    }

    /** How a region executes a CSR instruction (see {@link #csrKind}). */
    static final int CSR_UNTRANSLATED = 0, CSR_PLAIN = 1, CSR_CHECKED = 2;

    /**
     * How a region runs the CSR instruction {@code e} (a call of {@link RegionRuntime#csr} or
     * {@link RegionRuntime#csrChecked}, which may trap like a load; the privilege and the
     * access rules are checked at run time, privileged spec 2.1):
     * <ul>
     * <li>{@link #CSR_PLAIN}: reads of any CSR (a read changes nothing a region depends on; a CSR
     *     that does not exist traps), and writes of CSRs that only hold values the region does not
     *     assume anything about: scratch, trap-setup and trap-value registers, counter enables
     *     (checked when a counter is read), the FP CSRs (the FPU reads frm when it runs).</li>
     * <li>{@link #CSR_CHECKED}: writes that can make an interrupt pending and enabled (sstatus/mstatus
     *     SIE/MIE, sie/mie, sip/mip, stimecmp) or change the data MMU's context (mstatus MPRV/MPP,
     *     SUM, MXR): the helper ends the region after the write when either happened, so Hart.loop
     *     takes the interrupt before the next instruction (as the interpreter does after a CSR) or
     *     the region's cached TLB arrays are re-read.</li>
     * <li>{@link #CSR_UNTRANSLATED}: every other write (satp, delegation, menvcfg, PMP, counters,
     *     ...): rare, and they change translation or trap routing wholesale. The region ends before.</li>
     * </ul>
     */
    static int csrKind(long e) {
        if (!Csr.isWrite(e)) {
            return CSR_PLAIN;
        }
        return switch ((int) imm(e) & 0xfff) {
            case Csr.FFLAGS, Csr.FRM, Csr.FCSR, Csr.SSCRATCH, Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.STVEC, Csr.SCOUNTEREN,
                    Csr.SENVCFG, Csr.MSCRATCH, Csr.MEPC, Csr.MCAUSE, Csr.MTVAL, Csr.MTVEC, Csr.MCOUNTEREN -> CSR_PLAIN;
            case Csr.SSTATUS, Csr.MSTATUS, Csr.SIE, Csr.MIE, Csr.SIP, Csr.MIP, Csr.STIMECMP -> CSR_CHECKED;
            default -> CSR_UNTRANSLATED;
        };
    }

    /** Whether {@link RegionEmitter} translates this op (CSR: only some, see {@link #translatable(long)}). */
    static boolean translatable(int op) {
        return switch (op) {
            case NOP, C_NOP, LUI, C_LUI, LI, C_LI, AUIPC, MV, C_MV, ADDI, C_ADDI, SLTI, SLTIU, XORI, ORI, ANDI, C_ANDI,
                    SLLI, C_SLLI, SRLI, C_SRLI, SRAI, C_SRAI, ADD, C_ADD, SUB, C_SUB, SLL, SLT, SLTU, XOR, C_XOR, SRL,
                    SRA, OR, C_OR, AND, C_AND, ADDIW, C_ADDIW, SLLIW, SRLIW, SRAIW, ADDW, C_ADDW, SUBW, C_SUBW, SLLW,
                    SRLW, SRAW, MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, MULW, DIVW, DIVUW, REMW, REMUW,
                    ADD_UW, SH1ADD, SH2ADD, SH3ADD, SH1ADD_UW, SH2ADD_UW, SH3ADD_UW, SLLI_UW, ANDN, ORN, XNOR, CLZ,
                    CLZW, CTZ, CTZW, CPOP, CPOPW, MAX, MAXU, MIN, MINU, SEXT_B, SEXT_H, ZEXT_H, ROL, ROLW, ROR, RORI,
                    RORIW, RORW, REV8, BCLR, BCLRI, BEXT, BEXTI, BINV, BINVI, BSET, BSETI,
                    JAL, J, JALR, BEQ, C_BEQ, BNE, C_BNE, BLT, BGE, BLTU, BGEU,
                    LB, LBU, LH, LHU, LW, C_LW, LWU, LD, C_LD, SB, SH, SW, C_SW, SD, C_SD,
                    FLW, FLD, C_FLD, FSW, FSD, C_FSD, ORC_B, LR_W, SC_W, AMO_W, LR_D, SC_D, AMO_D -> true;
            default -> isFpArithmetic(op);
        };
    }

    /** F/D arithmetic, conversions, moves and compares (executed by a call to {@link Fpu#execute}). */
    static boolean isFpArithmetic(int op) {
        return (op >= FADD_S && op <= FNMADD_S) || (op >= FADD_D && op <= FCVT_D_S);
    }

    /** FP ops whose destination is an integer register. */
    static boolean fpWritesInt(int op) {
        return switch (op) {
            case FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FMV_X_W, FCLASS_S, FEQ_S, FLT_S, FLE_S, FCVT_W_D, FCVT_WU_D,
                    FCVT_L_D, FCVT_LU_D, FMV_X_D, FCLASS_D, FEQ_D, FLT_D, FLE_D -> true;
            default -> false;
        };
    }

    /** FP ops whose rs1 is an integer register. */
    static boolean fpReadsInt(int op) {
        return switch (op) {
            case FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FMV_W_X, FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_D_X -> true;
            default -> false;
        };
    }

    static boolean isBranch(int op) {
        return switch (op) {
            case BEQ, C_BEQ, BNE, C_BNE, BLT, BGE, BLTU, BGEU -> true;
            default -> false;
        };
    }

    /** Unconditional transfers: no fall-through successor. */
    static boolean isJump(int op) {
        return op == JAL || op == J || op == JALR;
    }

    /**
     * The vidx a direct branch or jump at vidx {@code idx} targets, or {@link #NONE} if outside the
     * region's page and its two neighbours.
     */
    static int targetIndex(int idx, long e) {
        long off = ((long) idx << 1) + imm(e);
        return off >= -DecodeCache.PAGE_BYTES && off < 2L * DecodeCache.PAGE_BYTES ? (int) (off >> 1) : NONE;
    }

    /** Which page a vidx is in: -1 previous, 0 the region's own, +1 next. */
    static int side(int vidx) {
        return vidx < 0 ? -1 : vidx >= DecodeCache.ENTRIES ? 1 : 0;
    }

    /** The decoded entry at {@code idx}, decoding it into the page if needed; END past the page. */
    static long entryAt(DecodeCache.Page page, int idx) {
        long e = page.code[idx];
        int op = op(e);
        if (op == UNDECODED) {
            e = page.decode(idx);
            page.code[idx] = e;
        } else if (op == JIT_REGION) {
            e = page.regions[idx].entry;
        }
        return e;
    }

    /** The region starting at {@code start} inside one page; empty when the first instruction is not translatable. */
    static Region scan(DecodeCache.Page page, int start, int maxInstructions) {
        return scan(page, start, maxInstructions, null, null);
    }

    /**
     * The region starting at {@code start} of {@code page}, which may go on into {@code next} or
     * {@code previous} (the hart's decoded pages of the neighbouring virtual pages, null if unknown):
     * into the first of them the code reaches, not both. Empty when the first instruction is not
     * translatable.
     */
    static Region scan(DecodeCache.Page page, int start, int maxInstructions, DecodeCache.Page next,
            DecodeCache.Page previous) {
        final int bias = DecodeCache.ENTRIES; // seen[] covers vidx -2048..4096
        boolean[] seen = new boolean[3 * DecodeCache.ENTRIES + 1];
        int[] found = new int[Math.max(1, maxInstructions)];
        int count = 0;
        int side = 0;
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(start);
        seen[start + bias] = true;
        while (!work.isEmpty() && count < maxInstructions) {
            int idx = work.poll();
            int s = side(idx);
            DecodeCache.Page pg = s == 0 ? page : s > 0 ? next : previous;
            if (pg == null) {
                continue; // the neighbour is not known: the region exits there
            }
            if (s != 0) {
                if (side == 0) {
                    side = s; // the first crossing picks the neighbour
                }
                if (s != side) {
                    continue;
                }
            }
            long e = entryAt(pg, idx - s * DecodeCache.ENTRIES);
            int op = op(e);
            if (!translatable(e)) {
                continue; // the region exits to the interpreter here
            }
            found[count++] = idx;
            int nx = idx + halfwords(e);
            if (!isJump(op) && nx < 2 * DecodeCache.ENTRIES && !seen[nx + bias]) {
                seen[nx + bias] = true;
                work.add(nx);
            }
            if (isBranch(op) || op == JAL || op == J) {
                int t = targetIndex(idx, e);
                if (t != NONE && !seen[t + bias]) {
                    seen[t + bias] = true;
                    work.add(t);
                }
            }
        }
        int[] indices = Arrays.copyOf(found, count);
        Arrays.sort(indices);
        long[] entries = new long[count];
        boolean crosses = false;
        for (int i = 0; i < count; i++) {
            int s = side(indices[i]);
            crosses |= s != 0;
            entries[i] = entryAt(s == 0 ? page : s > 0 ? next : previous, indices[i] - s * DecodeCache.ENTRIES);
        }
        if (!crosses) {
            return new Region(start, indices, entries);
        }
        return new Region(start, indices, entries, side, (side > 0 ? next : previous).frozenSnapshot());
    }
}
