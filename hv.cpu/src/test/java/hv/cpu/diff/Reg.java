package hv.cpu.diff;

/** Register names as the GNU assembler and objdump spell them (RISC-V psABI names). */
final class Reg {
    private static final String[] X = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
            "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5",
            "t6"};
    private static final String[] F = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1",
            "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",
            "fs11", "ft8", "ft9", "ft10", "ft11"};

    /** The scratch base (s0 = x8): fixed for the whole block so that every access stays in the scratch area. */
    static final int BASE = 8;
    /** sp (x2) equals BASE in a block, for the sp-relative RVC forms; only a balanced c.addi16sp pair moves it. */
    static final int SP = 2;

    private Reg() {
    }

    static String x(int n) {
        return X[n];
    }

    static String f(int n) {
        return F[n];
    }

    /** Index of an integer register name, or -1. */
    static int xIndex(String name) {
        for (int i = 0; i < 32; i++) {
            if (X[i].equals(name) || ("x" + i).equals(name)) {
                return i;
            }
        }
        return "fp".equals(name) ? 8 : -1;
    }

    /** Index of an FP register name, or -1. */
    static int fIndex(String name) {
        for (int i = 0; i < 32; i++) {
            if (F[i].equals(name) || ("f" + i).equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
