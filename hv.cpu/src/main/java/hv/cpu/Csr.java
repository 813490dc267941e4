package hv.cpu;

import static hv.cpu.Op.*;

import hv.api.platform.HartLink;

/**
 * Zicsr instructions and the CSRs of privileged spec 1.12 (chapter 2 for the address map and
 * access rules, chapters 3-4 for the machine and supervisor registers), plus Zicntr/Zihpm counters,
 * the F/D CSRs and Sstc's stimecmp. State lives in {@link Hart}'s public fields.
 *
 * <p>Access rules (spec 2.1): CSR bits [9:8] give the lowest privilege that may access it; bits
 * [11:10] = 3 mark it read-only, and writing it is an illegal instruction. CSRRS/CSRRC with rs1 = x0
 * and CSRRSI/CSRRCI with uimm = 0 do not write; CSRRW/CSRRWI with rd = x0 do not read.
 */
final class Csr {
    private Csr() {
    }

    // --- mstatus (privileged spec 3.1.6) ---
    static final long MSTATUS_SIE = 1L << 1, MSTATUS_MIE = 1L << 3, MSTATUS_SPIE = 1L << 5, MSTATUS_UBE = 1L << 6,
            MSTATUS_MPIE = 1L << 7, MSTATUS_SPP = 1L << 8, MSTATUS_VS = 3L << 9, MSTATUS_MPP = 3L << 11,
            MSTATUS_FS = 3L << 13, MSTATUS_XS = 3L << 15, MSTATUS_MPRV = 1L << 17, MSTATUS_SUM = 1L << 18,
            MSTATUS_MXR = 1L << 19, MSTATUS_TVM = 1L << 20, MSTATUS_TW = 1L << 21, MSTATUS_TSR = 1L << 22,
            MSTATUS_SD = 1L << 63;
    static final int MSTATUS_SPP_SHIFT = 8, MSTATUS_MPP_SHIFT = 11;
    /** UXL = SXL = 2 (64-bit), read-only. */
    static final long MSTATUS_XL = (2L << 32) | (2L << 34);
    static final long MSTATUS_FS_INITIAL = 1L << 13;
    /** FS = Dirty together with SD, so marking dirty is one OR. */
    static final long MSTATUS_FS_DIRTY = MSTATUS_FS | MSTATUS_SD;
    static final long MSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE | MSTATUS_SPP | MSTATUS_MPP
            | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
    static final long SSTATUS_READABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_UBE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS
            | MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | (3L << 32) | MSTATUS_SD;
    static final long SSTATUS_WRITABLE = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;

    /** misa: MXL = 2 (64-bit), extensions A C D F I M S U. */
    static final long MISA = (2L << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18)
            | (1 << 20);
    /** Exceptions that may be delegated (all but ecall from M, 11). */
    static final long MEDELEG_MASK = 0xb3ffL;
    static final long MIDELEG_MASK = (1L << HartLink.SSIP) | (1L << HartLink.STIP) | (1L << HartLink.SEIP);
    static final long MIE_MASK = MIDELEG_MASK | (1L << HartLink.MSIP) | (1L << HartLink.MTIP) | (1L << HartLink.MEIP);
    static final long MENVCFG_FIOM = 1L, MENVCFG_STCE = 1L << 63;
    static final long COUNTER_TM = 1L << 1;

    // --- CSR numbers ---
    static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
    static final int CYCLE = 0xC00, TIME = 0xC01, INSTRET = 0xC02;
    static final int SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106, SENVCFG = 0x10A, SSCRATCH = 0x140,
            SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143, SIP = 0x144, STIMECMP = 0x14D, SATP = 0x180;
    static final int MVENDORID = 0xF11, MARCHID = 0xF12, MIMPID = 0xF13, MHARTID = 0xF14, MCONFIGPTR = 0xF15;
    static final int MSTATUS = 0x300, MISA_CSR = 0x301, MEDELEG = 0x302, MIDELEG = 0x303, MIE = 0x304, MTVEC = 0x305,
            MCOUNTEREN = 0x306, MENVCFG = 0x30A, MCOUNTINHIBIT = 0x320, MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342,
            MTVAL = 0x343, MIP = 0x344, MCYCLE = 0xB00, MINSTRET = 0xB02;

    /** Executes a decoded CSR instruction (op CSR: rs3 = funct3, rs1 = register or uimm, imm = CSR number). */
    static void execute(Hart h, long e, long executed) {
        int rs1 = rs1(e);
        long old = access(h, e, rs3(e) >= 5 ? rs1 : h.x[rs1], executed);
        int rd = rd(e);
        if (rd != 0) {
            h.x[rd] = old;
        }
    }

    /**
     * The CSR instruction {@code e} with its source operand {@code src} (the register's value, or the
     * uimm) already read: checks access, writes, returns the old value (for rd). {@code executed} is
     * the number of instructions retired before this one since {@code Hart.retired} was last updated.
     * Shared by the interpreter and translated regions (RegionRuntime), which keep registers in locals.
     */
    static long access(Hart h, long e, long src, long executed) {
        int csr = (int) imm(e) & 0xfff;
        int kind = rs3(e);
        boolean isWrite = isWrite(e);
        checkAccess(h, csr, isWrite);
        // Always read, even for CSRRW with rd = x0: reading has no side effects here, and it rejects
        // CSR numbers that do not exist before anything is written.
        long old = read(h, csr, executed);
        if (isWrite) {
            long base = csr == MIP ? mipReadModifyWriteBase(h, old) : old;
            long v = switch (kind & 3) {
                case 1 -> src;
                case 2 -> base | src;
                default -> base & ~src;
            };
            write(h, csr, v, executed);
        }
        return old;
    }

    /** Whether the CSR instruction writes its CSR (Zicsr 9.1: CSRRS/CSRRC with rs1/uimm = 0 do not). */
    static boolean isWrite(long e) {
        return (rs3(e) & 3) == 1 || rs1(e) != 0;
    }

    /**
     * The value CSRRS/CSRRC on mip modify (privileged spec 3.1.9): a read of mip ORs the
     * interrupt controller's SEIP signal (and the timer's STIP) into the software-writable bits,
     * but the read-modify-write uses only the software-writable bits. Using the read value would
     * latch the PLIC's SEIP into the software bit whenever M-mode sets or clears another bit while
     * a device interrupt is pending (OpenSBI's csr_set(mip, SSIP) on an IPI): a supervisor
     * external interrupt that no claim can clear, i.e. an interrupt storm on that hart.
     */
    private static long mipReadModifyWriteBase(Hart h, long read) {
        long softBits = (1L << HartLink.SEIP) | (1L << HartLink.STIP);
        return (read & ~softBits) | (h.mipSoft & softBits);
    }

    private static void checkAccess(Hart h, int csr, boolean isWrite) {
        if (h.priv < ((csr >>> 8) & 3)) {
            throw h.illegal();
        }
        if (isWrite && (csr >>> 10) == 3) {
            throw h.illegal();
        }
        if (csr >= FFLAGS && csr <= FCSR) {
            h.requireFpu();
        } else if (csr >= CYCLE && csr <= 0xC1F) {
            // Zicntr/Zihpm: counters below M need mcounteren, below S also scounteren (spec 3.1.11)
            long bit = 1L << (csr & 31);
            if ((h.priv < Hart.PRIV_M && (h.mcounteren & bit) == 0) || (h.priv == Hart.PRIV_U && (h.scounteren & bit) == 0)) {
                throw h.illegal();
            }
        } else if (csr == SATP) {
            if (h.priv == Hart.PRIV_S && (h.mstatus & MSTATUS_TVM) != 0) {
                throw h.illegal();
            }
        } else if (csr == STIMECMP) {
            // Sstc: below M, needs menvcfg.STCE and mcounteren.TM
            if (h.priv < Hart.PRIV_M && ((h.menvcfg & MENVCFG_STCE) == 0 || (h.mcounteren & COUNTER_TM) == 0)) {
                throw h.illegal();
            }
        }
    }

    static long read(Hart h, int csr, long executed) {
        switch (csr) {
            case FFLAGS:
                return h.fflags;
            case FRM:
                return h.frm;
            case FCSR:
                return (h.frm << 5) | h.fflags;
            case CYCLE, MCYCLE:
                return h.retired + executed + h.cycleOffset;
            case TIME:
                return h.time();
            case INSTRET, MINSTRET:
                return h.retired + executed + h.instretOffset;
            case SSTATUS:
                return h.mstatus & SSTATUS_READABLE;
            case SIE:
                return h.mie & h.mideleg;
            case STVEC:
                return h.stvec;
            case SCOUNTEREN:
                return h.scounteren;
            case SENVCFG:
                return h.senvcfg;
            case SSCRATCH:
                return h.sscratch;
            case SEPC:
                return h.sepc;
            case SCAUSE:
                return h.scause;
            case STVAL:
                return h.stval;
            case SIP:
                h.updateTimers();
                return h.mip() & h.mideleg;
            case STIMECMP:
                return h.stimecmp;
            case SATP:
                return h.mmu.satp();
            case MVENDORID, MARCHID, MIMPID, MCONFIGPTR:
                return 0;
            case MHARTID:
                return h.hartId;
            case MSTATUS:
                return h.mstatus;
            case MISA_CSR:
                return MISA;
            case MEDELEG:
                return h.medeleg;
            case MIDELEG:
                return h.mideleg;
            case MIE:
                return h.mie;
            case MTVEC:
                return h.mtvec;
            case MCOUNTEREN:
                return h.mcounteren;
            case MENVCFG:
                return h.menvcfg;
            case MCOUNTINHIBIT:
                return h.mcountinhibit;
            case MSCRATCH:
                return h.mscratch;
            case MEPC:
                return h.mepc;
            case MCAUSE:
                return h.mcause;
            case MTVAL:
                return h.mtval;
            case MIP:
                h.updateTimers();
                return h.mip();
            default:
                if ((csr >= 0xC03 && csr <= 0xC1F) || (csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) {
                    return 0; // Zihpm: hpmcounters and events read 0 (no events implemented)
                }
                if (csr >= 0x3A0 && csr <= 0x3AF) {
                    if ((csr & 1) != 0) {
                        throw h.illegal(); // RV64 has only the even pmpcfg registers
                    }
                    return h.pmpcfg[csr - 0x3A0];
                }
                if (csr >= 0x3B0 && csr <= 0x3EF) {
                    return h.pmpaddr[csr - 0x3B0];
                }
                throw h.illegal();
        }
    }

    static void write(Hart h, int csr, long v, long executed) {
        switch (csr) {
            case FFLAGS -> {
                h.fflags = (int) v & 31;
                h.mstatus |= MSTATUS_FS_DIRTY;
            }
            case FRM -> {
                h.frm = (int) v & 7;
                h.mstatus |= MSTATUS_FS_DIRTY;
            }
            case FCSR -> {
                h.fflags = (int) v & 31;
                h.frm = (int) (v >>> 5) & 7;
                h.mstatus |= MSTATUS_FS_DIRTY;
            }
            // The writing instruction itself does not count (spec 3.1.10): the next read sees v.
            case MCYCLE -> h.cycleOffset = v - (h.retired + executed + 1);
            case MINSTRET -> h.instretOffset = v - (h.retired + executed + 1);
            case SSTATUS -> writeMstatus(h, (h.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE));
            case SIE -> h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg);
            case STVEC -> h.stvec = tvec(v, h.stvec);
            case SCOUNTEREN -> h.scounteren = v & 0xffff_ffffL;
            case SENVCFG -> h.senvcfg = v & MENVCFG_FIOM;
            case SSCRATCH -> h.sscratch = v;
            case SEPC -> h.sepc = v & ~1L;
            case SCAUSE -> h.scause = v;
            case STVAL -> h.stval = v;
            case SIP -> {
                long mask = (1L << HartLink.SSIP) & h.mideleg;
                h.mipSoft = (h.mipSoft & ~mask) | (v & mask);
            }
            case STIMECMP -> {
                h.stimecmp = v;
                h.updateTimers();
            }
            case SATP -> {
                if (h.mmu.writeSatp(v)) {
                    h.refreshTlb(); // the MMU may have switched TLB arrays (Bare <-> translated)
                    h.fetchTranslationChanged(h.config.satpFlushesDecode());
                }
            }
            case MSTATUS -> writeMstatus(h, v);
            case MISA_CSR -> {
                // WARL: the extensions cannot be switched off; writes are ignored
            }
            case MEDELEG -> h.medeleg = v & MEDELEG_MASK;
            case MIDELEG -> h.mideleg = v & MIDELEG_MASK;
            case MIE -> h.mie = v & MIE_MASK;
            case MTVEC -> h.mtvec = tvec(v, h.mtvec);
            case MCOUNTEREN -> h.mcounteren = v & 0xffff_ffffL;
            case MENVCFG -> {
                h.menvcfg = v & (MENVCFG_FIOM | MENVCFG_STCE);
                h.updateTimers();
            }
            case MCOUNTINHIBIT -> h.mcountinhibit = v & 0xffff_fffdL;
            case MSCRATCH -> h.mscratch = v;
            case MEPC -> h.mepc = v & ~1L;
            case MCAUSE -> h.mcause = v;
            case MTVAL -> h.mtval = v;
            case MIP -> {
                long mask = (1L << HartLink.SSIP) | (1L << HartLink.SEIP);
                if ((h.menvcfg & MENVCFG_STCE) == 0) {
                    mask |= 1L << HartLink.STIP;
                }
                h.mipSoft = (h.mipSoft & ~mask) | (v & mask);
            }
            default -> {
                if (csr >= 0x3A0 && csr <= 0x3AF) {
                    writePmpcfg(h, csr - 0x3A0, v);
                } else if (csr >= 0x3B0 && csr <= 0x3EF) {
                    int i = csr - 0x3B0;
                    if (!pmpLocked(h, i)) {
                        h.pmpaddr[i] = v & ((1L << 54) - 1);
                    }
                }
                // hpm counters/events: writes ignored (read-only zero)
            }
        }
    }

    static void writeMstatus(Hart h, long v) {
        long old = h.mstatus;
        long s = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
        if (((s >>> MSTATUS_MPP_SHIFT) & 3) == 2) { // WARL: MPP = 2 (H) does not exist; keep the old value
            s = (s & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
        }
        s = (s & ~MSTATUS_SD) | ((s & MSTATUS_FS) == MSTATUS_FS ? MSTATUS_SD : 0);
        h.mstatus = s | MSTATUS_XL;
        h.updateMmuContext();
    }

    /** xtvec WARL: MODE 0 (direct) or 1 (vectored); other modes keep the old mode. */
    private static long tvec(long v, long old) {
        long mode = v & 3;
        return (v & ~3L) | (mode <= 1 ? mode : old & 3);
    }

    private static boolean pmpLocked(Hart h, int entry) {
        long cfg = h.pmpcfg[(entry / 8) * 2];
        return ((cfg >>> ((entry % 8) * 8)) & 0x80) != 0;
    }

    /** pmpcfg (privileged spec 3.7.1): locked entries keep their byte; reserved bits 5-6 read 0. */
    private static void writePmpcfg(Hart h, int reg, long v) {
        if ((reg & 1) != 0) {
            throw h.illegal();
        }
        long old = h.pmpcfg[reg];
        long result = 0;
        for (int i = 0; i < 8; i++) {
            long ob = (old >>> (i * 8)) & 0xff;
            long nb = (v >>> (i * 8)) & 0x9f;
            if ((nb & 3) == 2) { // W=1,R=0 is reserved: keep the entry unchanged
                nb = ob;
            }
            result |= ((ob & 0x80) != 0 ? ob : nb) << (i * 8);
        }
        h.pmpcfg[reg] = result;
    }
}
