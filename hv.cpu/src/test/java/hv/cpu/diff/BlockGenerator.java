package hv.cpu.diff;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates random but safe user-level blocks: every block runs to its end on any correct RV64GC
 * implementation, whatever the random values, because
 * <ul>
 *   <li>control flow only goes forward, to an item boundary inside the block or its end;</li>
 *   <li>every memory access goes to the block's scratch area: through s0/sp (never written, except
 *       by a balanced c.addi16sp pair) or through a register the same item points into the area;</li>
 *   <li>AMOs and LR/SC are naturally aligned (misaligned ones would fault); plain loads and stores
 *       may be misaligned, which Linux user programs may rely on and both emulators do in place;</li>
 *   <li>frm only ever receives a valid mode (0..4), so dynamic rounding never traps;</li>
 *   <li>nothing reads counters or time (cycle, time, instret differ between runs).</li>
 * </ul>
 * The result of each instruction is left to the emulators; the block ends by saving the state.
 * Behaviour the specification leaves to the implementation is not generated: an SC to another
 * address than its LR, an LR/SC pair with a store in between, LR.W followed by SC.D.
 */
final class BlockGenerator {
    private static final String[] RM = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};

    private final long seed;
    private final Set<String> avoided;
    private final List<Kind> kinds;
    private final int totalWeight;
    private SplittableRandom r;
    private final List<Item> items = new ArrayList<>();
    private int length;

    BlockGenerator(long seed, Set<Kind> excluded) {
        this(seed, excluded, Set.of());
    }

    /**
     * @param avoided mnemonics never to emit (an item that would contain one is drawn again): used
     *                for instructions the reference emulator is known to get wrong
     */
    BlockGenerator(long seed, Set<Kind> excluded, Set<String> avoided) {
        this.seed = seed;
        this.avoided = Set.copyOf(avoided);
        Set<Kind> on = EnumSet.allOf(Kind.class);
        on.removeAll(excluded);
        if (on.isEmpty()) {
            throw new IllegalArgumentException("every instruction class is excluded");
        }
        this.kinds = List.copyOf(on);
        this.totalWeight = kinds.stream().mapToInt(k -> k.weight).sum();
    }

    /** Block {@code number} of this seed's run, {@code length} items long. Deterministic. */
    Block generate(int number, int length) {
        r = new SplittableRandom(blockSeed(seed, number));
        this.length = length;
        items.clear();
        long[] x = new long[32];
        for (int i = 1; i < 32; i++) {
            x[i] = intValue();
        }
        long[] f = new long[32];
        for (int i = 0; i < 32; i++) {
            f[i] = fpRegisterValue();
        }
        long fcsr = (r.nextInt(5) << 5) | (r.nextBoolean() ? 0 : r.nextInt(32));
        long[] scratch = new long[Area.SCRATCH / 8];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = switch (r.nextInt(4)) {
                case 0 -> doubleValue();
                case 1 -> (floatValue() & 0xffff_ffffL) | ((long) floatValue() << 32);
                default -> intValue();
            };
        }
        while (items.size() < length) {
            Kind k = pickKind();
            switch (k) {
                case INT -> integer();
                case MEM -> memory();
                case BRANCH -> branch();
                case M -> muldiv();
                case A -> atomic();
                case F, D -> {
                    int before = items.size();
                    fp(k == Kind.D);
                    if (items.size() > before && r.nextInt(3) == 0) {
                        captureFlags();
                    }
                }
                case FCSR -> fcsr();
                case C -> compressed();
                case ZBA -> zba();
                case ZBB -> zbb();
                case ZBS -> zbs();
            }
        }
        return new Block(seed, number, items, x, f, fcsr, scratch);
    }

    /**
     * The random stream of one block. Must be a strong mix: SplittableRandom steps its state by a
     * fixed gamma, so seeds that differ by multiples of that gamma would give the blocks shifted
     * copies of the same stream.
     */
    static long blockSeed(long seed, int number) {
        long z = seed * 0xD1B5_4A32_D192_ED03L + number;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private Kind pickKind() {
        int w = r.nextInt(totalWeight);
        for (Kind k : kinds) {
            w -= k.weight;
            if (w < 0) {
                return k;
            }
        }
        throw new AssertionError();
    }

    // ------------------------------------------------------------------ items

    private void add(Kind k, String... lines) {
        if (allowed(lines)) {
            items.add(new Item(items.size(), k, List.of(lines), -1));
        }
    }

    private void addBranch(Kind k, String... lines) {
        int i = items.size();
        int target = Math.min(length, i + 1 + r.nextInt(5));
        if (allowed(lines)) {
            items.add(new Item(i, k, List.of(lines), target));
        }
    }

    private boolean allowed(String[] lines) {
        for (String line : lines) {
            if (avoided.contains(mnemonic(line))) {
                return false;
            }
        }
        return true;
    }

    /** The mnemonic of an assembly line ("1: auipc t0, ..." -> "auipc"). */
    static String mnemonic(String line) {
        String body = line.replaceFirst("^\\d+:\\s*", "").strip();
        int sp = body.indexOf(' ');
        return sp < 0 ? body : body.substring(0, sp);
    }

    private void integer() {
        switch (r.nextInt(8)) {
            case 0, 1 -> add(Kind.INT, rtype(pick("add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and")));
            case 2 -> add(Kind.INT, rtype(pick("addw", "subw", "sllw", "srlw", "sraw")));
            case 3 -> add(Kind.INT, pick("addi", "slti", "sltiu", "xori", "ori", "andi", "addiw") + " " + xd() + ", " + xs()
                    + ", " + imm12());
            case 4 -> add(Kind.INT, pick("slli", "srli", "srai") + " " + xd() + ", " + xs() + ", " + r.nextInt(64));
            case 5 -> add(Kind.INT, pick("slliw", "srliw", "sraiw") + " " + xd() + ", " + xs() + ", " + r.nextInt(32));
            case 6 -> add(Kind.INT, pick("lui", "auipc") + " " + xd() + ", " + imm20());
            default -> {
                if (r.nextInt(4) == 0) {
                    add(Kind.INT, pick("fence", "fence rw, rw", "fence r, rw", "fence.tso", "fence.i", "nop"));
                } else {
                    add(Kind.INT, rtype(pick("add", "sub", "xor", "or", "and", "slt", "sltu")));
                }
            }
        }
    }

    private void memory() {
        boolean load = r.nextInt(5) < 3;
        int sizeLog = r.nextInt(4);
        int size = 1 << sizeLog;
        String op = load ? (r.nextBoolean() && sizeLog < 3 ? new String[] {"lbu", "lhu", "lwu"}[sizeLog]
                : new String[] {"lb", "lh", "lw", "ld"}[sizeLog]) : new String[] {"sb", "sh", "sw", "sd"}[sizeLog];
        String reg = load ? xd() : xs();
        access(Kind.MEM, op + " " + reg + ", ", size, true);
    }

    /**
     * Emits a memory access "{@code prefix}off(base)" to a random scratch address: through s0, through
     * sp, or through a temporary pointed into the area by an addi in the same item.
     */
    private void access(Kind k, String prefix, int size, boolean mayMisalign) {
        int a = address(size, mayMisalign);
        switch (r.nextInt(5)) {
            case 0, 1 -> add(k, prefix + a + "(s0)");
            case 2 -> add(k, prefix + a + "(sp)");
            default -> {
                String t = xt();
                int off = Math.max(-2048, Math.min(2047, a - 2047 + r.nextInt(4096)));
                add(k, "addi " + t + ", s0, " + (a - off), prefix + off + "(" + t + ")");
            }
        }
    }

    private int address(int size, boolean mayMisalign) {
        if (mayMisalign && size > 1 && r.nextInt(6) == 0) {
            if (r.nextInt(3) == 0) { // straddle a page boundary (in even-numbered blocks, see ProgramSource)
                return Area.PAGE_CROSSING - size + 1 + r.nextInt(size - 1);
            }
            return r.nextInt(Area.SCRATCH - size + 1);
        }
        return r.nextInt(Area.SCRATCH / size) * size;
    }

    private void branch() {
        switch (r.nextInt(5)) {
            case 4 -> loop();
            case 0, 1 -> addBranch(Kind.BRANCH,
                    pick("beq", "bne", "blt", "bge", "bltu", "bgeu") + " " + xs() + ", " + xs() + ", %L");
            case 2 -> addBranch(Kind.BRANCH, "jal " + xdOrZero() + ", %L");
            default -> {
                String t = xt();
                addBranch(Kind.BRANCH, "1: auipc " + t + ", %pcrel_hi(%L)", "jalr " + xdOrZero() + ", %pcrel_lo(1b)(" + t + ")");
            }
        }
    }

    /**
     * A counted backward loop (1..4 iterations) around a few straight-line instructions that leave
     * the counter alone: the only backward branch generated, so decoded code is also re-executed.
     */
    private void loop() {
        boolean rvc = r.nextBoolean();
        String t = rvc ? cxd() : xt();
        List<String> lines = new ArrayList<>();
        lines.add("li " + t + ", " + (1 + r.nextInt(4)));
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            lines.add(simpleLine(t));
        }
        lines.set(1, "1: " + lines.get(1));
        lines.add("addi " + t + ", " + t + ", -1");
        lines.add((rvc ? "c.bnez " : "bnez ") + t + ", 1b");
        add(Kind.BRANCH, lines.toArray(String[]::new));
    }

    /** A straight-line instruction that does not write {@code keep} (nor sp, s0). */
    private String simpleLine(String keep) {
        String d;
        do {
            d = xd();
        } while (d.equals(keep));
        return switch (r.nextInt(6)) {
            case 0 -> pick("add", "sub", "xor", "sll", "sra", "addw", "mul", "divu", "remw", "sh2add", "rol", "bset") + " " + d
                    + ", " + xs() + ", " + xs();
            case 1 -> pick("addi", "xori", "slti", "addiw") + " " + d + ", " + d + ", " + imm12();
            case 2 -> pick("fadd.d", "fmul.s", "fsub.s", "fdiv.d") + " " + fd() + ", " + fs() + ", " + fs() + rm();
            case 3 -> pick("fmadd.d", "fnmsub.s") + " " + fd() + ", " + fs() + ", " + fs() + ", " + fs() + rm();
            case 4 -> pick("ld", "lw", "lbu") + " " + d + ", " + 8 * r.nextInt(Area.SCRATCH / 8) + "(s0)";
            default -> pick("sd", "sw", "sh") + " " + xs() + ", " + 8 * r.nextInt(Area.SCRATCH / 8) + "(s0)";
        };
    }

    private void muldiv() {
        add(Kind.M, rtype(pick("mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw",
                "remw", "remuw")));
    }

    private void atomic() {
        boolean dw = r.nextBoolean();
        int size = dw ? 8 : 4;
        String sz = dw ? ".d" : ".w";
        int a = address(size, false);
        int choice = r.nextInt(10);
        if (choice < 6) {
            String op = pick("amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu")
                    + sz + ordering();
            if (a == 0 && r.nextBoolean()) {
                add(Kind.A, op + " " + xdOrZero() + ", " + xs() + ", (s0)");
            } else {
                String t = xt();
                add(Kind.A, "addi " + t + ", s0, " + a, op + " " + xdOrZero() + ", " + xs() + ", (" + t + ")");
            }
        } else if (choice < 9) {
            // LR, up to two ALU instructions that leave the address register alone, SC to the same address
            String t = xt();
            List<String> lines = new ArrayList<>();
            lines.add("addi " + t + ", s0, " + a);
            String lrRd;
            do {
                lrRd = xdOrZero();
            } while (lrRd.equals(t));
            lines.add("lr" + sz + ordering() + " " + lrRd + ", (" + t + ")");
            for (int i = r.nextInt(3); i > 0; i--) {
                String d;
                do {
                    d = xd();
                } while (d.equals(t));
                lines.add(pick("add", "xor", "sub", "or") + " " + d + ", " + xs() + ", " + xs());
            }
            String scRd;
            do {
                scRd = xdOrZero();
            } while (scRd.equals(t));
            lines.add("sc" + sz + ordering() + " " + scRd + ", " + xs() + ", (" + t + ")");
            if (r.nextInt(3) == 0) {
                // the first SC ended the reservation, whether it succeeded or not: this one must fail
                lines.add("sc" + sz + ordering() + " " + xdOrZero() + ", " + xs() + ", (" + t + ")");
            }
            add(Kind.A, lines.toArray(String[]::new));
        } else {
            // SC with no reservation held (every LR above is consumed by its own SC): must fail
            String t = xt();
            add(Kind.A, "addi " + t + ", s0, " + a, "sc" + sz + ordering() + " " + xdOrZero() + ", " + xs() + ", (" + t + ")");
        }
    }

    private String ordering() {
        return pick("", "", ".aq", ".rl", ".aqrl");
    }

    private void fp(boolean dbl) {
        Kind k = dbl ? Kind.D : Kind.F;
        String s = dbl ? ".d" : ".s";
        switch (r.nextInt(14)) {
            case 0, 1 -> add(k, pick("fadd", "fsub", "fmul", "fdiv") + s + " " + fd() + ", " + fs() + ", " + fs() + rm());
            case 2 -> add(k, pick("fmin", "fmax") + s + " " + fd() + ", " + fs() + ", " + fs());
            case 3 -> add(k, pick("fsgnj", "fsgnjn", "fsgnjx") + s + " " + fd() + ", " + fs() + ", " + fs());
            case 4 -> add(k, "fsqrt" + s + " " + fd() + ", " + fs() + rm());
            case 5, 6 -> add(k, pick("fmadd", "fmsub", "fnmsub", "fnmadd") + s + " " + fd() + ", " + fs() + ", " + fs() + ", "
                    + fs() + rm());
            case 7 -> add(k, pick("feq", "flt", "fle") + s + " " + xdOrZero() + ", " + fs() + ", " + fs());
            case 8 -> add(k, "fclass" + s + " " + xd() + ", " + fs());
            case 9 -> add(k, "fcvt." + pick("w", "wu", "l", "lu") + s + " " + xdOrZero() + ", " + fs() + rm());
            case 10 -> {
                String from = pick("w", "wu", "l", "lu");
                boolean exact = dbl && from.startsWith("w"); // fcvt.d.w[u] cannot round: gas takes no rm
                add(k, "fcvt" + s + "." + from + " " + fd() + ", " + xs() + (exact ? "" : rm()));
            }
            case 11 -> add(k, dbl ? "fcvt.d.s " + fd() + ", " + fs() : "fcvt.s.d " + fd() + ", " + fs() + rm());
            case 12 -> add(k, dbl ? pick("fmv.x.d " + xdOrZero() + ", " + fs(), "fmv.d.x " + fd() + ", " + xs())
                    : pick("fmv.x.w " + xdOrZero() + ", " + fs(), "fmv.w.x " + fd() + ", " + xs()));
            default -> {
                boolean load = r.nextBoolean();
                String op = (load ? "fl" : "fs") + (dbl ? "d" : "w");
                access(k, op + " " + (load ? fd() : fs()) + ", ", dbl ? 8 : 4, true);
            }
        }
    }

    /**
     * Appends "read and clear fflags" to the last item: fflags are sticky, so without this an
     * instruction that fails to raise a flag already raised earlier in the block would go unseen.
     */
    private void captureFlags() {
        Item last = items.get(items.size() - 1);
        List<String> lines = new ArrayList<>(last.lines());
        lines.add("fsflags " + xd() + ", zero");
        items.set(last.index(), new Item(last.index(), last.kind(), lines, last.target()));
    }

    private String rm() {
        return r.nextInt(10) < 3 ? "" : ", " + RM[r.nextInt(RM.length)];
    }

    private void fcsr() {
        switch (r.nextInt(9)) {
            case 0 -> add(Kind.FCSR, pick("frcsr", "frrm", "frflags") + " " + xd());
            case 1 -> add(Kind.FCSR, "fsflags " + xdOrZero() + ", " + xs());
            case 2 -> add(Kind.FCSR, "fsflagsi " + xdOrZero() + ", " + r.nextInt(32));
            case 3 -> add(Kind.FCSR, "fsrmi " + xdOrZero() + ", " + r.nextInt(5));
            case 4 -> {
                String t = xt();
                add(Kind.FCSR, "li " + t + ", " + r.nextInt(5), "fsrm " + xdOrZero() + ", " + t);
            }
            case 5 -> {
                String t = xt();
                // bits above 7 are reserved in fcsr: writes must not stick
                long v = (r.nextInt(5) << 5) | r.nextInt(32) | (r.nextInt(3) == 0 ? (long) r.nextInt(1 << 20) << 8 : 0);
                add(Kind.FCSR, "li " + t + ", " + v, "fscsr " + xdOrZero() + ", " + t);
            }
            case 6 -> add(Kind.FCSR, pick("csrrs", "csrrc", "csrrw") + " " + xdOrZero() + ", fflags, " + xs());
            case 7 -> add(Kind.FCSR, pick("csrrsi", "csrrci", "csrrwi") + " " + xdOrZero() + ", fflags, " + r.nextInt(32));
            default -> add(Kind.FCSR, pick("csrrc " + xdOrZero() + ", frm, " + xs(), "csrrc " + xdOrZero() + ", fcsr, " + xs(),
                    "csrrci " + xdOrZero() + ", frm, " + r.nextInt(32), "csrrs " + xd() + ", fcsr, zero"));
        }
    }

    private void compressed() {
        Kind k = Kind.C;
        switch (r.nextInt(22)) {
            case 0 -> add(k, "c.li " + xd() + ", " + (r.nextInt(64) - 32));
            case 1 -> add(k, "c.lui " + xd() + ", " + (r.nextBoolean() ? 1 + r.nextInt(31) : 0xfffe0 + r.nextInt(32)));
            case 2 -> add(k, "c.addi " + xd() + ", " + nonZero6());
            case 3 -> add(k, "c.addiw " + xd() + ", " + (r.nextInt(64) - 32));
            case 4 -> add(k, "c.addi4spn " + cxd() + ", sp, " + 4 * (1 + r.nextInt(255)));
            case 5 -> {
                int n = 16 * (1 + r.nextInt(31)) * (r.nextBoolean() ? 1 : -1);
                int off = 8 * r.nextInt(64);
                if (n + off < 0 || n + off > Area.SCRATCH - 8) {
                    off = n < 0 ? -n : 0;
                }
                add(k, "c.addi16sp sp, " + n, pick("c.ldsp " + xd(), "c.sdsp " + xs(), "c.fldsp " + fd()) + ", " + off + "(sp)",
                        "c.addi16sp sp, " + -n);
            }
            case 6 -> add(k, "c.slli " + xd() + ", " + (1 + r.nextInt(63)));
            case 7 -> add(k, pick("c.srli", "c.srai") + " " + cxd() + ", " + (1 + r.nextInt(63)));
            case 8 -> add(k, "c.andi " + cxd() + ", " + (r.nextInt(64) - 32));
            case 9 -> add(k, pick("c.mv", "c.add") + " " + xd() + ", " + Reg.x(1 + r.nextInt(31)));
            case 10, 11 -> add(k, pick("c.and", "c.or", "c.xor", "c.sub", "c.addw", "c.subw") + " " + cxd() + ", " + cxs());
            case 12, 13 -> {
                boolean dw = r.nextBoolean();
                String op = pick("c.l", "c.s") + (dw ? "d" : "w");
                String reg = op.startsWith("c.l") ? cxd() : cxs();
                cAccess(op + " " + reg + ", ", dw ? 8 : 4, 32);
            }
            case 14 -> cAccess(pick("c.fld " + cfd(), "c.fsd " + cfs()) + ", ", 8, 32);
            case 15 -> add(k, "c.lwsp " + xd() + ", " + 4 * r.nextInt(64) + "(sp)");
            case 16 -> add(k, pick("c.ldsp " + xd(), "c.fldsp " + fd(), "c.sdsp " + xs(), "c.fsdsp " + fs()) + ", "
                    + 8 * r.nextInt(64) + "(sp)");
            case 17 -> add(k, "c.swsp " + xs() + ", " + 4 * r.nextInt(64) + "(sp)");
            case 18 -> addBranch(k, pick("c.beqz", "c.bnez") + " " + cxs() + ", %L");
            case 19 -> addBranch(k, "c.j %L");
            case 20 -> {
                String t = xt();
                addBranch(k, "lla " + t + ", %L", pick("c.jr ", "c.jalr ") + t);
            }
            default -> add(k, "c.nop");
        }
    }

    /** A compressed load/store with a 5-bit scaled offset, through s0 or a compressible temporary. */
    private void cAccess(String prefix, int size, int slots) {
        int uimm = size * r.nextInt(slots);
        int a = address(size, false);
        if (a >= uimm && r.nextInt(3) == 0) {
            String t = cxt();
            add(Kind.C, "addi " + t + ", s0, " + (a - uimm), prefix + uimm + "(" + t + ")");
        } else {
            add(Kind.C, prefix + uimm + "(s0)");
        }
    }

    private void zba() {
        if (r.nextInt(5) == 0) {
            add(Kind.ZBA, "slli.uw " + xd() + ", " + xs() + ", " + r.nextInt(64));
        } else {
            add(Kind.ZBA, rtype(pick("sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw", "sh3add.uw")));
        }
    }

    private void zbb() {
        switch (r.nextInt(3)) {
            case 0 -> add(Kind.ZBB, rtype(pick("andn", "orn", "xnor", "max", "maxu", "min", "minu", "rol", "ror", "rolw",
                    "rorw")));
            case 1 -> add(Kind.ZBB, pick("clz", "ctz", "cpop", "clzw", "ctzw", "cpopw", "sext.b", "sext.h", "zext.h", "orc.b",
                    "rev8") + " " + xd() + ", " + xs());
            default -> add(Kind.ZBB, r.nextBoolean() ? "rori " + xd() + ", " + xs() + ", " + r.nextInt(64)
                    : "roriw " + xd() + ", " + xs() + ", " + r.nextInt(32));
        }
    }

    private void zbs() {
        if (r.nextBoolean()) {
            add(Kind.ZBS, rtype(pick("bclr", "bext", "binv", "bset")));
        } else {
            add(Kind.ZBS, pick("bclri", "bexti", "binvi", "bseti") + " " + xd() + ", " + xs() + ", " + r.nextInt(64));
        }
    }

    private String rtype(String op) {
        return op + " " + xdOrZero() + ", " + xs() + ", " + xs();
    }

    // ------------------------------------------------------------------ registers and immediates

    private String pick(String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    /** A destination: any register but sp and s0. */
    private String xd() {
        int n;
        do {
            n = 1 + r.nextInt(31);
        } while (n == Reg.SP || n == Reg.BASE);
        return Reg.x(n);
    }

    /** A destination that is sometimes x0 (writes to x0 are ignored). */
    private String xdOrZero() {
        return r.nextInt(20) == 0 ? "zero" : xd();
    }

    /** A temporary for an address or a jump target: like xd. */
    private String xt() {
        return xd();
    }

    private String xs() {
        return Reg.x(r.nextInt(32));
    }

    /** A compressed-form destination: x9..x15 (x8 = s0 stays the base). */
    private String cxd() {
        return Reg.x(9 + r.nextInt(7));
    }

    private String cxt() {
        return cxd();
    }

    private String cxs() {
        return Reg.x(8 + r.nextInt(8));
    }

    private String fd() {
        return Reg.f(r.nextInt(32));
    }

    private String fs() {
        return Reg.f(r.nextInt(32));
    }

    private String cfd() {
        return Reg.f(8 + r.nextInt(8));
    }

    private String cfs() {
        return cfd();
    }

    private int nonZero6() {
        int v;
        do {
            v = r.nextInt(64) - 32;
        } while (v == 0);
        return v;
    }

    private int imm12() {
        return switch (r.nextInt(6)) {
            case 0 -> new int[] {-2048, 2047, 0, -1, 1, 31, 32, 63, 64}[r.nextInt(9)];
            case 1 -> r.nextInt(64) - 32;
            default -> r.nextInt(4096) - 2048;
        };
    }

    private int imm20() {
        return r.nextInt(4) == 0 ? new int[] {0, 0xfffff, 0x80000, 0x7ffff, 1}[r.nextInt(5)] : r.nextInt(1 << 20);
    }

    // ------------------------------------------------------------------ values

    private static final long[] INT_SPECIALS = {0, 1, -1, 2, -2, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            0x8000_0000L, 0x7fff_ffffL, 0xffff_ffffL, 0xffff_ffff_8000_0000L, 0x1_0000_0000L, 0x1_8000_0000L, 31, 32, 63, 64,
            0x80, 0xff, 0x8000, 0xffff, 0x7f, 0x7fff, 0x5555_5555_5555_5555L, 0xaaaa_aaaa_aaaa_aaaaL,
            0x0123_4567_89ab_cdefL, 0x8000_0000_0000_0001L, 0xffff_ffff_0000_0000L};

    long intValue() {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> INT_SPECIALS[r.nextInt(INT_SPECIALS.length)];
            case 3 -> r.nextInt(129) - 64;
            case 4 -> r.nextInt();
            case 5 -> r.nextBoolean() ? doubleValue() : floatValue();
            case 6 -> 1L << r.nextInt(64) ^ (r.nextBoolean() ? 0 : -1L);
            default -> r.nextLong();
        };
    }

    private static final long[] DOUBLE_SPECIALS = {0, 0x8000_0000_0000_0000L, 0x7ff0_0000_0000_0000L,
            0xfff0_0000_0000_0000L, 0x7ff8_0000_0000_0000L, 0xfff8_0000_0000_0000L, 0x7ff4_0000_0000_0000L,
            0x7ff0_0000_0000_0001L, 0xfff8_0000_0000_1234L, 1, 0x8000_0000_0000_0001L, 0x000f_ffff_ffff_ffffL,
            0x0010_0000_0000_0000L, 0x8010_0000_0000_0000L, 0x7fef_ffff_ffff_ffffL, 0xffef_ffff_ffff_ffffL,
            Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(-1.0), Double.doubleToRawLongBits(0.5),
            Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(-2.5),
            Double.doubleToRawLongBits(-0.5), Double.doubleToRawLongBits(0x1p31), Double.doubleToRawLongBits(-0x1p31),
            Double.doubleToRawLongBits(0x1p32), Double.doubleToRawLongBits(0x1p63), Double.doubleToRawLongBits(-0x1p63),
            Double.doubleToRawLongBits(0x1p64), Double.doubleToRawLongBits(4294967295.5),
            Double.doubleToRawLongBits(-2147483648.5), Double.doubleToRawLongBits(2147483647.5),
            Double.doubleToRawLongBits(9007199254740993.0), Double.doubleToRawLongBits(0.1),
            Double.doubleToRawLongBits(3.0), Double.doubleToRawLongBits(0x1p-1022 * 1.5),
            Double.doubleToRawLongBits(0x1p-1074 * 3), Double.doubleToRawLongBits(0x1.fffffffffffffp1023 / 2)};

    private static final int[] FLOAT_SPECIALS = {0, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0xffc0_0000,
            0x7fa0_0000, 0x7f80_0001, 0xffc0_0001, 1, 0x8000_0001, 0x007f_ffff, 0x0080_0000, 0x8080_0000, 0x7f7f_ffff,
            0xff7f_ffff, Float.floatToRawIntBits(1f), Float.floatToRawIntBits(-1f), Float.floatToRawIntBits(0.5f),
            Float.floatToRawIntBits(1.5f), Float.floatToRawIntBits(2.5f), Float.floatToRawIntBits(-2.5f),
            Float.floatToRawIntBits(-0.5f), Float.floatToRawIntBits(0x1p31f), Float.floatToRawIntBits(-0x1p31f),
            Float.floatToRawIntBits(0x1p32f), Float.floatToRawIntBits(0x1p63f), Float.floatToRawIntBits(-0x1p63f),
            Float.floatToRawIntBits(0x1p64f), Float.floatToRawIntBits(16777215f), Float.floatToRawIntBits(0.1f),
            Float.floatToRawIntBits(3f), Float.floatToRawIntBits(0x1p-126f * 1.5f)};

    /**
     * A binary64 value: every IEEE class often enough that each operation meets signaling and quiet
     * NaNs, infinities, zeros and subnormals in a short block, plus ordinary and integer-like values.
     */
    long doubleValue() {
        long sign = r.nextBoolean() ? Long.MIN_VALUE : 0;
        return switch (r.nextInt(20)) {
            case 0 -> sign | 0x7ff0_0000_0000_0000L | 1 + r.nextLong(0x0007_ffff_ffff_ffffL); // signaling NaN
            case 1 -> sign | 0x7ff8_0000_0000_0000L | (r.nextBoolean() ? 0 : r.nextLong(0x0008_0000_0000_0000L)); // quiet
            case 2 -> sign | 0x7ff0_0000_0000_0000L; // infinity
            case 3 -> sign; // zero
            case 4, 5 -> sign | 1 + r.nextLong(0x000f_ffff_ffff_ffffL); // subnormal
            case 6, 7, 8 -> DOUBLE_SPECIALS[r.nextInt(DOUBLE_SPECIALS.length)];
            case 9, 10 -> Double.doubleToRawLongBits((r.nextInt(81) - 40) / 2.0);
            case 11 -> r.nextLong();
            case 12 -> sign | ((long) (r.nextBoolean() ? 1 + r.nextInt(60) : 2046 - r.nextInt(60)) << 52)
                    | (r.nextLong() & 0x000f_ffff_ffff_ffffL); // near the exponent range's ends
            default -> sign | ((long) (1023 - 70 + r.nextInt(141)) << 52) | (r.nextLong() & 0x000f_ffff_ffff_ffffL);
        };
    }

    /** A binary32 value, with the same mix of classes as {@link #doubleValue}. */
    int floatValue() {
        int sign = r.nextBoolean() ? 0x8000_0000 : 0;
        return switch (r.nextInt(20)) {
            case 0 -> sign | 0x7f80_0000 | 1 + r.nextInt(0x003f_ffff);
            case 1 -> sign | 0x7fc0_0000 | (r.nextBoolean() ? 0 : r.nextInt(0x0040_0000));
            case 2 -> sign | 0x7f80_0000;
            case 3 -> sign;
            case 4, 5 -> sign | 1 + r.nextInt(0x007f_ffff);
            case 6, 7, 8 -> FLOAT_SPECIALS[r.nextInt(FLOAT_SPECIALS.length)];
            case 9, 10 -> Float.floatToRawIntBits((r.nextInt(81) - 40) / 2f);
            case 11 -> r.nextInt();
            case 12 -> sign | ((r.nextBoolean() ? 1 + r.nextInt(20) : 254 - r.nextInt(20)) << 23) | (r.nextInt() & 0x007f_ffff);
            default -> sign | ((127 - 40 + r.nextInt(81)) << 23) | (r.nextInt() & 0x007f_ffff);
        };
    }

    /** A register value: a NaN-boxed single, a double, or (rarely) a single that is not properly boxed. */
    private long fpRegisterValue() {
        int c = r.nextInt(20);
        if (c < 9) {
            return 0xffff_ffff_0000_0000L | (floatValue() & 0xffff_ffffL);
        } else if (c < 18) {
            return doubleValue();
        } else if (c == 18) {
            return (0xffff_ffffL ^ (1L << r.nextInt(32))) << 32 | (floatValue() & 0xffff_ffffL);
        }
        return r.nextLong();
    }
}
