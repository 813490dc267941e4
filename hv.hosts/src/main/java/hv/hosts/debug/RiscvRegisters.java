package hv.hosts.debug;

import hv.cpu.Hart;

import java.util.ArrayList;
import java.util.List;

/**
 * The register set gdb sees and its numbering, as gdb's RISC-V target numbers registers
 * (gdb/riscv-tdep.h): x0..x31 = 0..31, pc = 32, f0..f31 = 33..64, CSR n = 65 + n (so fflags,
 * frm and fcsr are 66..68), and the virtual register priv = 65 + 4096. The target description
 * (GDB manual, "Target Descriptions" and "RISC-V Features") uses the standard feature names
 * org.gnu.gdb.riscv.cpu, .fpu, .csr and .virtual, so gdb-multiarch shows them by their usual names.
 * The {@code g} packet carries registers 0..64; the CSRs are read one by one with {@code p}.
 */
final class RiscvRegisters {
    static final int PC = 32, FIRST_FP = 33, FIRST_CSR = 65, PRIV = FIRST_CSR + 4096;
    /** Registers in the g packet: x0-x31, pc, f0-f31. */
    static final int G_PACKET_REGS = 65;

    private static final String[] X_NAMES = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1",
            "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
            "t5", "t6"};
    private static final String[] F_NAMES = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0",
            "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",
            "fs11", "ft8", "ft9", "ft10", "ft11"};
    private static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;

    /** The CSRs offered in the csr feature (those the hart has are kept; see {@link #RiscvRegisters}). */
    private static final Object[][] CSRS = {
            {"sstatus", 0x100}, {"sie", 0x104}, {"stvec", 0x105}, {"scounteren", 0x106}, {"sscratch", 0x140},
            {"sepc", 0x141}, {"scause", 0x142}, {"stval", 0x143}, {"sip", 0x144}, {"stimecmp", 0x14d}, {"satp", 0x180},
            {"mstatus", 0x300}, {"misa", 0x301}, {"medeleg", 0x302}, {"mideleg", 0x303}, {"mie", 0x304},
            {"mtvec", 0x305}, {"mcounteren", 0x306}, {"menvcfg", 0x30a}, {"mscratch", 0x340}, {"mepc", 0x341},
            {"mcause", 0x342}, {"mtval", 0x343}, {"mip", 0x344}, {"mhartid", 0xf14}, {"cycle", 0xc00}, {"time", 0xc01},
            {"instret", 0xc02}};

    private final List<Object[]> csrs = new ArrayList<>();
    private final String targetXml;

    /** The register set of harts like {@code probe} (a CSR the hart does not have is left out). */
    RiscvRegisters(Hart probe) {
        for (Object[] c : CSRS) {
            try {
                probe.debugReadCsr((Integer) c[1]);
                csrs.add(c);
            } catch (IllegalArgumentException e) {
                // not implemented by this hart: not offered
            }
        }
        targetXml = buildXml();
    }

    String targetXml() {
        return targetXml;
    }

    private String buildXml() {
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        sb.append("<architecture>riscv:rv64</architecture>\n");
        sb.append("<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 ? "data_ptr" : "int";
            reg(sb, X_NAMES[i], 64, type, i);
        }
        reg(sb, "pc", 64, "code_ptr", PC);
        sb.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        sb.append("<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>"
                + "<field name=\"double\" type=\"ieee_double\"/></union>\n");
        for (int i = 0; i < 32; i++) {
            reg(sb, F_NAMES[i], 64, "riscv_double", FIRST_FP + i);
        }
        reg(sb, "fflags", 32, "int", FIRST_CSR + FFLAGS);
        reg(sb, "frm", 32, "int", FIRST_CSR + FRM);
        reg(sb, "fcsr", 32, "int", FIRST_CSR + FCSR);
        sb.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        for (Object[] c : csrs) {
            reg(sb, (String) c[0], 64, "int", FIRST_CSR + (Integer) c[1]);
        }
        sb.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
        reg(sb, "priv", 64, "int", PRIV);
        sb.append("</feature>\n</target>\n");
        return sb.toString();
    }

    private static void reg(StringBuilder sb, String name, int bits, String type, int regnum) {
        sb.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append("\" regnum=\"").append(regnum).append("\"/>\n");
    }

    /** The size in bytes of register {@code n}, or 0 if there is no such register. */
    int size(int n) {
        if (n >= 0 && n < G_PACKET_REGS || n == PRIV) {
            return 8;
        }
        if (n == FIRST_CSR + FFLAGS || n == FIRST_CSR + FRM || n == FIRST_CSR + FCSR) {
            return 4;
        }
        for (Object[] c : csrs) {
            if (n == FIRST_CSR + (Integer) c[1]) {
                return 8;
            }
        }
        return 0;
    }

    /** Register {@code n} of {@code h} (which must exist: see {@link #size}). Call while the hart is paused. */
    static long read(Hart h, int n) {
        if (n < 32) {
            return h.x[n];
        }
        if (n == PC) {
            return h.pc;
        }
        if (n < FIRST_CSR) {
            return h.f[n - FIRST_FP];
        }
        if (n == PRIV) {
            return h.priv;
        }
        return h.debugReadCsr(n - FIRST_CSR);
    }

    /** Writes register {@code n}; false if it cannot be written. x0 and priv ignore writes (as x0 does). */
    static boolean write(Hart h, int n, long v) {
        if (n == 0 || n == PRIV) {
            return true;
        }
        if (n < 32) {
            h.x[n] = v;
        } else if (n == PC) {
            h.pc = v & ~1L;
        } else if (n < FIRST_CSR) {
            h.f[n - FIRST_FP] = v;
        } else {
            return h.debugWriteCsr(n - FIRST_CSR, v);
        }
        return true;
    }
}
