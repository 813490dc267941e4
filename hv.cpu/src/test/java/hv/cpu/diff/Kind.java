package hv.cpu.diff;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Instruction classes the generator draws from; {@code -Dhv.diff.exclude=fcsr,a} leaves some out. */
enum Kind {
    /** RV64I register/immediate arithmetic, logic, shifts, LUI/AUIPC, W forms, FENCE/FENCE.I. */
    INT(14),
    /** RV64I loads and stores (aligned and misaligned, through s0 or a register pointed at the scratch area). */
    MEM(9),
    /** Forward conditional branches, JAL, JALR. */
    BRANCH(5),
    /** M: multiply, divide, remainder (division by zero, INT_MIN / -1, W forms). */
    M(8),
    /** A: LR/SC pairs and every AMO, W and D, with aq/rl. */
    A(6),
    /** F: single-precision arithmetic, FMA, conversions, compares, moves, loads/stores, static and dynamic rounding. */
    F(12),
    /** D: the same for double precision. */
    D(12),
    /** fcsr/frm/fflags reads and writes (register and immediate forms). */
    FCSR(4),
    /** RVC: every RV64 compressed form that is legal in user mode (except c.ebreak). */
    C(12),
    /** Zba address generation. */
    ZBA(4),
    /** Zbb basic bit manipulation. */
    ZBB(7),
    /** Zbs single-bit instructions. */
    ZBS(4);

    final int weight;

    Kind(int weight) {
        this.weight = weight;
    }

    /** Parses a comma-separated list of kind names (case-insensitive); blank means none. */
    static Set<Kind> parseList(String list) {
        Set<Kind> s = EnumSet.noneOf(Kind.class);
        if (list == null || list.isBlank()) {
            return s;
        }
        for (String name : list.split(",")) {
            String n = name.trim();
            if (!n.isEmpty()) {
                try {
                    s.add(Kind.valueOf(n.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown instruction class '" + n + "'; known: "
                            + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT), e);
                }
            }
        }
        return s;
    }
}
