package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generator: reproducible from (seed, number), covers every instruction the issue lists, honours
 * exclusions, and only makes blocks that are safe. Safety is re-checked here from the assembly text
 * with an independent reading of each line, not with the generator's own bookkeeping.
 */
class BlockGeneratorTest {
    /** Every user-level mnemonic the differential test is meant to exercise. */
    static final Set<String> EXPECTED = new TreeSet<>(List.of(
            // RV64I
            "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw", "srlw", "sraw",
            "addi", "slti", "sltiu", "xori", "ori", "andi", "addiw", "slli", "srli", "srai", "slliw", "srliw", "sraiw", "lui",
            "auipc", "lb", "lh", "lw", "ld", "lbu", "lhu", "lwu", "sb", "sh", "sw", "sd", "beq", "bne", "blt", "bge", "bltu",
            "bgeu", "jal", "jalr", "fence", "fence.i", "fence.tso",
            // M
            "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw", "divuw", "remw", "remuw",
            // A (one ordering each is enough to name here; orderings are checked below)
            "lr.w", "lr.d", "sc.w", "sc.d", "amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w", "amomin.w",
            "amomax.w", "amominu.w", "amomaxu.w", "amoswap.d", "amoadd.d", "amoxor.d", "amoand.d", "amoor.d", "amomin.d",
            "amomax.d", "amominu.d", "amomaxu.d",
            // F and D
            "fadd.s", "fsub.s", "fmul.s", "fdiv.s", "fsqrt.s", "fmin.s", "fmax.s", "fmadd.s", "fmsub.s", "fnmsub.s", "fnmadd.s",
            "fsgnj.s", "fsgnjn.s", "fsgnjx.s", "feq.s", "flt.s", "fle.s", "fclass.s", "fcvt.w.s", "fcvt.wu.s", "fcvt.l.s",
            "fcvt.lu.s", "fcvt.s.w", "fcvt.s.wu", "fcvt.s.l", "fcvt.s.lu", "fcvt.s.d", "fmv.x.w", "fmv.w.x", "flw", "fsw",
            "fadd.d", "fsub.d", "fmul.d", "fdiv.d", "fsqrt.d", "fmin.d", "fmax.d", "fmadd.d", "fmsub.d", "fnmsub.d", "fnmadd.d",
            "fsgnj.d", "fsgnjn.d", "fsgnjx.d", "feq.d", "flt.d", "fle.d", "fclass.d", "fcvt.w.d", "fcvt.wu.d", "fcvt.l.d",
            "fcvt.lu.d", "fcvt.d.w", "fcvt.d.wu", "fcvt.d.l", "fcvt.d.lu", "fcvt.d.s", "fmv.x.d", "fmv.d.x", "fld", "fsd",
            "frcsr", "frrm", "frflags", "fscsr", "fsrm", "fsflags", "fsrmi", "fsflagsi", "csrrs", "csrrc", "csrrw", "csrrsi",
            "csrrci", "csrrwi",
            // C (RV64: no c.jal, no c.flw/c.fsw)
            "c.li", "c.lui", "c.addi", "c.addiw", "c.addi4spn", "c.addi16sp", "c.slli", "c.srli", "c.srai", "c.andi", "c.mv",
            "c.add", "c.and", "c.or", "c.xor", "c.sub", "c.addw", "c.subw", "c.lw", "c.ld", "c.sw", "c.sd", "c.fld", "c.fsd",
            "c.lwsp", "c.ldsp", "c.swsp", "c.sdsp", "c.fldsp", "c.fsdsp", "c.j", "c.beqz", "c.bnez", "c.jr", "c.jalr", "c.nop",
            // Zba, Zbb, Zbs
            "sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw", "sh3add.uw", "slli.uw", "andn", "orn", "xnor",
            "max", "maxu", "min", "minu", "rol", "ror", "rolw", "rorw", "rori", "roriw", "clz", "ctz", "cpop", "clzw", "ctzw",
            "cpopw", "sext.b", "sext.h", "zext.h", "orc.b", "rev8", "bclr", "bext", "binv", "bset", "bclri", "bexti", "binvi",
            "bseti"));

    private static Set<String> mnemonics(List<Block> blocks) {
        Set<String> seen = new TreeSet<>();
        for (Block b : blocks) {
            for (Item it : b.items()) {
                for (String line : it.lines()) {
                    seen.add(BlockGenerator.mnemonic(line).replaceFirst("\\.(aq|rl|aqrl)$", ""));
                }
            }
        }
        return seen;
    }

    private static List<Block> blocks(BlockGenerator g, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> g.generate(i, 50)).toList();
    }

    @Test
    void sameSeedAndNumberGiveTheSameBlock() {
        Block a = new BlockGenerator(7, Set.of()).generate(12, 50);
        Block b = new BlockGenerator(7, Set.of()).generate(12, 50);
        assertEquals(a.items(), b.items());
        assertArrayEquals(a.x(), b.x());
        assertArrayEquals(a.f(), b.f());
        assertArrayEquals(a.scratch(), b.scratch());
        assertEquals(a.fcsr(), b.fcsr());
        assertNotEquals(a.items(), new BlockGenerator(7, Set.of()).generate(13, 50).items());
        assertNotEquals(a.items(), new BlockGenerator(8, Set.of()).generate(12, 50).items());
        assertEquals(50, a.items().size());
    }

    @Test
    void coversEveryInstructionOfTheIssue() {
        Set<String> seen = mnemonics(blocks(new BlockGenerator(1, Set.of()), 600));
        Set<String> missing = new TreeSet<>(EXPECTED);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "never generated");
        List<String> lines = blocks(new BlockGenerator(2, Set.of()), 50).stream().flatMap(b -> b.items().stream())
                .flatMap(i -> i.lines().stream()).toList();
        for (String ordering : List.of(".aq", ".rl", ".aqrl")) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("(amo|lr|sc)\\S*" + Pattern.quote(ordering) + " .*")),
                    "no atomic with " + ordering);
        }
        for (String rm : List.of("rne", "rtz", "rdn", "rup", "rmm", "dyn")) {
            assertTrue(lines.stream().anyMatch(l -> l.endsWith(", " + rm)), "no static rounding mode " + rm);
        }
    }

    @Test
    void exclusionsAndAvoidedMnemonicsAreHonoured() {
        List<Block> bs = blocks(new BlockGenerator(4, Set.of(Kind.C, Kind.FCSR), Set.of("ctzw", "fsqrt.d")), 200);
        Set<String> seen = mnemonics(bs);
        assertFalse(seen.stream().anyMatch(m -> m.startsWith("c.") && !m.equals("c.bnez")), "compressed forms generated: " + seen);
        assertFalse(seen.contains("ctzw") || seen.contains("fsqrt.d") || seen.contains("fscsr"), seen.toString());
        assertTrue(bs.stream().flatMap(b -> b.items().stream()).noneMatch(i -> i.kind() == Kind.C || i.kind() == Kind.FCSR));
    }

    @Test
    void unknownClassIsRejectedWithTheKnownOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Kind.parseList("int,vector"));
        assertTrue(e.getMessage().contains("vector") && e.getMessage().contains("zbb"), e.getMessage());
        assertEquals(Set.of(Kind.INT, Kind.ZBA), Kind.parseList(" int , ZBA "));
    }

    // ------------------------------------------------------------------ safety, re-derived from the text

    private static final Pattern MEM = Pattern.compile("(-?\\d*)\\((\\w+)\\)");

    private static final Pattern SIZE1 = Pattern.compile("lb|lbu|sb"), SIZE2 = Pattern.compile("lh|lhu|sh"),
            SIZE4 = Pattern.compile("lw|lwu|sw|flw|fsw|c\\.lw|c\\.sw|c\\.lwsp|c\\.swsp|(amo\\w+|lr|sc)\\.w.*"),
            SIZE8 = Pattern.compile("ld|sd|fld|fsd|c\\.ld|c\\.sd|c\\.fld|c\\.fsd|c\\.ldsp|c\\.sdsp|c\\.fldsp|c\\.fsdsp"
                    + "|(amo\\w+|lr|sc)\\.d.*"),
            NO_WRITE = Pattern.compile("sb|sh|sw|sd|fsw|fsd|c\\.sw|c\\.sd|c\\.fsd|c\\.swsp|c\\.sdsp|c\\.fsdsp"
                    + "|beq|bne|blt|bge|bltu|bgeu|bnez|c\\.beqz|c\\.bnez|c\\.j|c\\.jr|c\\.jalr|fence.*|nop|c\\.nop"),
            FORBIDDEN = Pattern.compile("rdtime|rdcycle|rdinstret|csrr|ecall|ebreak|c\\.ebreak|wfi|.*ret");

    private static int accessSize(String m) {
        return SIZE1.matcher(m).matches() ? 1 : SIZE2.matcher(m).matches() ? 2 : SIZE4.matcher(m).matches() ? 4
                : SIZE8.matcher(m).matches() ? 8 : 0;
    }

    /** Whether the first operand of this mnemonic is written (as opposed to stores, branches, jumps). */
    private static boolean writesFirstOperand(String m) {
        return !NO_WRITE.matcher(m).matches();
    }

    @Test
    void everyBlockIsSafe() {
        for (Block b : blocks(new BlockGenerator(5, Set.of()), 200)) {
            int n = b.items().size();
            for (Item it : b.items()) {
                String where = "block " + b.number() + " item " + it;
                if (it.isBranch()) {
                    assertTrue(it.target() > it.index() && it.target() <= n, where + ": target " + it.target());
                }
                // register -> its offset from s0, as established inside this item
                Map<String, Integer> pointers = new HashMap<>();
                pointers.put("s0", 0);
                pointers.put("sp", 0);
                for (String line : it.lines()) {
                    String m = BlockGenerator.mnemonic(line);
                    String ops = line.replaceFirst("^\\d+:\\s*", "").strip().substring(m.length()).strip();
                    String[] operands = ops.isEmpty() ? new String[0] : ops.split(",\\s*");
                    if (m.equals("c.addi16sp")) {
                        pointers.merge("sp", Integer.parseInt(operands[1].strip()), Integer::sum);
                        continue;
                    }
                    int size = accessSize(m);
                    if (size > 0) {
                        Matcher mm = MEM.matcher(ops);
                        assertTrue(mm.find(), where + ": no address operand");
                        Integer base = pointers.get(mm.group(2));
                        if (base == null) {
                            fail(where + ": access through " + mm.group(2) + ", which does not point into the scratch area");
                        }
                        int addr = base + (mm.group(1).isEmpty() ? 0 : Integer.parseInt(mm.group(1)));
                        assertTrue(addr >= 0 && addr + size <= Area.SCRATCH, where + ": address " + addr + " outside the scratch");
                        if (m.startsWith("amo") || m.startsWith("lr") || m.startsWith("sc")) {
                            assertEquals(0, addr % size, where + ": misaligned atomic");
                        }
                    }
                    if (operands.length > 0 && writesFirstOperand(m)) {
                        String rd = operands[0].strip();
                        assertFalse(rd.equals("sp") || rd.equals("s0"), where + ": writes " + rd);
                        pointers.remove(rd);
                        if (m.equals("addi") && operands[1].strip().equals("s0")) {
                            pointers.put(rd, Integer.parseInt(operands[2].strip()));
                        }
                    }
                    if (m.equals("fsrm") || m.equals("fscsr")) {
                        // the value comes from the li just before: frm must be 0..4 or dynamic rounding traps
                        String li = it.lines().get(it.lines().indexOf(line) - 1);
                        long v = Long.parseLong(li.substring(li.lastIndexOf(' ') + 1));
                        assertTrue((m.equals("fsrm") ? v : (v >> 5) & 7) <= 4, where + ": invalid frm");
                    }
                    assertFalse(FORBIDDEN.matcher(m).matches(), where + ": reads a counter or leaves the block");
                    if (m.startsWith("csrr")) {
                        String csr = operands[1].strip();
                        assertTrue(Set.of("fflags", "frm", "fcsr").contains(csr), where + ": touches " + csr);
                        // setting or writing frm bits from a random value could make frm invalid (5..7)
                        boolean onlyClears = m.startsWith("csrrc") || operands[2].strip().equals("zero");
                        assertTrue(csr.equals("fflags") || onlyClears, where + ": may write an invalid frm");
                    }
                }
                assertEquals(0, pointers.get("sp"), where + ": c.addi16sp not balanced");
            }
        }
    }
}
