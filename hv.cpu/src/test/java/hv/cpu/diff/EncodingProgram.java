package hv.cpu.diff;

import java.util.List;

/**
 * The program of the encoding differential test: every case sets all registers and fcsr from its
 * table, executes ONE raw instruction word, and stores the registers, fcsr and a hash of the
 * scratch memory in its record. A word that traps does not end the program: under qemu-riscv64 a
 * SIGILL/SIGSEGV/SIGBUS handler (installed with rt_sigaction) notes the outcome in the current
 * record and steps over the word; under HV, {@link EncodingRunner} does the same on a TRAP exit.
 * The handler runs on an alternate signal stack: sp is as random as any other register.
 *
 * <p>x31 points at the middle of an 8 KiB scratch area while the word runs (the generator never
 * makes a word that writes x31); every other register either points near it too or holds a random
 * value that lies outside both emulators' memory (so an access through it faults in both).
 */
final class EncodingProgram {
    /** Record: x1..x31 at 0, f0..f31 at 248, fcsr at 504, outcome at 512, scratch hash at 520. */
    static final int RECORD = 528, F_OFF = 248, FCSR = 504, OUTCOME = 512, HASH = 520;
    /** Table: x1..x30 at 0 (x31 unused), f0..f31 at 248, fcsr at 504. */
    static final int TABLE = 512;
    static final int SCRATCH = 8192;
    /** Outcome codes written by the handler (qemu) and by EncodingRunner (HV). */
    static final int OK = 0, ILLEGAL = 1, MEMORY_FAULT = 2, OTHER_TRAP = 3;
    /** Offset of the saved pc in the riscv64 Linux ucontext_t (uc_mcontext is 16-byte aligned at 176). */
    static final int UCONTEXT_PC = 176;
    private static final int SPILL = 2040;
    private static final int ALTSTACK = 32768;

    /**
     * One case.
     *
     * @param word    the instruction bits (low 16 or 32)
     * @param length  2 or 4
     * @param x       x1..x30 initial values (index = register); for a pointer register the offset from the scratch middle
     * @param pointer which x registers point into the scratch area
     */
    record Case(int number, int word, int length, long[] x, boolean[] pointer, long[] f, long fcsr) {
        String hex() {
            return length == 2 ? String.format("%04x", word & 0xffff) : String.format("%08x", word);
        }
    }

    private EncodingProgram() {
    }

    static String insnLabel(int k) {
        return "insn_" + k;
    }

    static String render(List<Case> cases, long[] scratch) {
        StringBuilder s = new StringBuilder(cases.size() * 6000);
        s.append("\t.option norelax\n\t.option norvc\n\t.text\n\t.globl _start\n_start:\n");
        // the handler runs on its own stack (SA_ONSTACK): sp is just another random register here
        s.append("\tlla a0, altstack\n\tli a1, 0\n\tli a7, 132\n\tecall\n"); // sigaltstack
        for (int sig : new int[] {4, 7, 11}) { // SIGILL, SIGBUS, SIGSEGV
            s.append("\tli a0, ").append(sig).append("\n\tlla a1, sigaction\n\tli a2, 0\n\tli a3, 8\n\tli a7, 134\n\tecall\n");
        }
        for (int k = 0; k < cases.size(); k++) {
            renderCase(s, k, cases.get(k));
        }
        s.append("finish:\n\tli a7, 64\n\tli a0, 1\n\tlla a1, records\n\tli a2, ").append((long) cases.size() * RECORD)
                .append("\n\tecall\n\tli a7, 93\n\tsub a0, a0, a2\n\tsnez a0, a0\n\tecall\n");
        // the handler: a0 = signal, a2 = ucontext_t; returns through the sigreturn trampoline in ra
        s.append("handler:\n\tlla t0, current\n\tld t0, 0(t0)\n\tli t1, ").append(MEMORY_FAULT)
                .append("\n\tli t2, 4\n\tbne a0, t2, 1f\n\tli t1, ").append(ILLEGAL).append("\n1:\tsd t1, ").append(OUTCOME)
                .append("(t0)\n\tld t1, ").append(UCONTEXT_PC).append("(a2)\n\tlhu t2, 0(t1)\n\tandi t2, t2, 3\n")
                .append("\tli t3, 3\n\tli t4, 2\n\tbne t2, t3, 2f\n\tli t4, 4\n2:\tadd t1, t1, t4\n\tsd t1, ")
                .append(UCONTEXT_PC).append("(a2)\n\tret\n");
        s.append("\n\t.data\n\t.balign 8\nsigaction:\n\t.dword handler, 0x08000004, 0\n"); // SA_ONSTACK | SA_SIGINFO
        s.append("altstack:\n\t.dword altstack_base, 0, ").append(ALTSTACK).append('\n');
        s.append("current:\n\t.dword 0\n");
        for (int k = 0; k < cases.size(); k++) {
            renderTable(s, k, cases.get(k));
        }
        s.append("\t.balign 64\nrecords:\n\t.zero ").append((long) cases.size() * RECORD).append('\n');
        s.append("\t.balign 16\naltstack_base:\n\t.zero ").append(ALTSTACK).append('\n');
        s.append("\t.balign 4096\nscratch:\n");
        for (int i = 0; i < SCRATCH / 8; i += 4) {
            s.append("\t.dword ");
            for (int j = 0; j < 4; j++) {
                s.append(j == 0 ? "" : ", ").append("0x").append(Long.toHexString(scratch[(i + j) % scratch.length]));
            }
            s.append('\n');
        }
        s.append("\t.equ center, scratch + ").append(SCRATCH / 2).append('\n');
        return s.toString();
    }

    private static void renderCase(StringBuilder s, int k, Case c) {
        String rec = "records + " + (long) k * RECORD;
        s.append("case_").append(k).append(":\n\tlla t0, ").append(rec).append("\n\tlla t1, current\n\tsd t0, 0(t1)\n");
        s.append("\tlla t6, table_").append(k).append('\n');
        for (int i = 0; i < 32; i++) {
            s.append("\tfld ").append(Reg.f(i)).append(", ").append(F_OFF + 8 * i).append("(t6)\n");
        }
        s.append("\tld t0, ").append(FCSR).append("(t6)\n\tfscsr t0\n");
        for (int i = 1; i <= 30; i++) {
            s.append("\tld ").append(Reg.x(i)).append(", ").append(8 * (i - 1)).append("(t6)\n");
        }
        s.append("\tlla t6, center\n");
        // .insn marks the word as code (objdump then disassembles it); a word whose low bits announce
        // a 48-bit or longer instruction is not accepted by .insn and goes in as data
        s.append(insnLabel(k)).append(":\n");
        if (c.length() == 2) {
            s.append("\t.option push\n\t.option rvc\n\t.insn 2, 0x").append(c.hex()).append("\n\t.option pop\n");
        } else {
            s.append((c.word() & 0x1f) == 0x1f ? "\t.4byte 0x" : "\t.insn 4, 0x").append(c.hex()).append('\n');
        }
        s.append("\tsd t5, ").append(SPILL).append("(t6)\n\tlla t5, ").append(rec).append('\n');
        for (int i = 1; i < 32; i++) {
            if (i != 30) {
                s.append("\tsd ").append(Reg.x(i)).append(", ").append(8 * (i - 1)).append("(t5)\n");
            }
        }
        // the spill slot is zeroed again so that t5's value does not reach the scratch hash twice
        s.append("\tld t0, ").append(SPILL).append("(t6)\n\tsd t0, ").append(8 * 29).append("(t5)\n\tsd zero, ")
                .append(SPILL).append("(t6)\n");
        s.append("\tfrcsr t0\n\tsd t0, ").append(FCSR).append("(t5)\n");
        for (int i = 0; i < 32; i++) {
            s.append("\tfsd ").append(Reg.f(i)).append(", ").append(F_OFF + 8 * i).append("(t5)\n");
        }
        // hash of the scratch area: h = rotl(h, 1) ^ dword, base ISA only
        s.append("\tlla t0, scratch\n\tli t1, ").append(SCRATCH / 8).append("\n\tli t2, 0\n");
        s.append("1:\tld t3, 0(t0)\n\tslli t4, t2, 1\n\tsrli t2, t2, 63\n\tor t2, t2, t4\n\txor t2, t2, t3\n")
                .append("\taddi t0, t0, 8\n\taddi t1, t1, -1\n\tbnez t1, 1b\n\tsd t2, ").append(HASH).append("(t5)\n");
    }

    private static void renderTable(StringBuilder s, int k, Case c) {
        s.append("table_").append(k).append(":\n");
        for (int i = 1; i <= 31; i++) {
            if (i <= 30 && c.pointer()[i]) {
                s.append("\t.dword center + ").append(c.x()[i]).append('\n');
            } else {
                s.append("\t.dword 0x").append(Long.toHexString(i <= 30 ? c.x()[i] : 0)).append('\n');
            }
        }
        for (int i = 0; i < 32; i++) {
            s.append("\t.dword 0x").append(Long.toHexString(c.f()[i])).append('\n');
        }
        s.append("\t.dword 0x").append(Long.toHexString(c.fcsr())).append('\n');
    }
}
