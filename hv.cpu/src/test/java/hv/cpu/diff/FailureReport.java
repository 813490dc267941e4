package hv.cpu.diff;

import hv.cpu.elf.ElfFile;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Explains one failing block: how to replay it, what differed, and (after minimizing) the few
 * instructions that still differ, the initial values of the registers they name, and the
 * disassembly of exactly what the two emulators ran.
 */
final class FailureReport {
    private FailureReport() {
    }

    static String of(Differ.Verdict original, Differ.Verdict minimized, Differ differ) throws Exception {
        Block b = original.block();
        StringBuilder s = new StringBuilder();
        s.append("block ").append(b.number()).append(" of seed ").append(b.seed()).append(" (replay: ").append(b.replay())
                .append(")\n");
        appendVerdict(s, original, 12);
        if (minimized == null) {
            s.append("  instructions:\n");
            appendItems(s, b);
            return s.toString();
        }
        Block m = minimized.block();
        s.append("  minimized from ").append(b.items().size()).append(" to ").append(m.items().size()).append(" items:\n");
        appendItems(s, m);
        s.append("  initial values of the registers they name (fcsr ").append(String.format("%02x", m.fcsr())).append(' ')
                .append(BlockState.fcsr(m.fcsr())).append("):\n");
        for (String reg : registersNamed(m)) {
            int xi = Reg.xIndex(reg);
            if (xi == Reg.SP || xi == Reg.BASE) {
                s.append(String.format("    %-5s = the scratch area%n", reg));
            } else if (xi > 0) {
                s.append(String.format("    %-5s = %016x (%d)%n", reg, m.x()[xi], m.x()[xi]));
            } else if (xi < 0) {
                int fi = Reg.fIndex(reg);
                s.append(String.format("    %-5s = %016x %s%n", reg, m.f()[fi], BlockState.fp(m.f()[fi])));
            }
        }
        // the minimized block alone: its own verdict and the exact bytes both emulators ran
        String name = "repro-" + b.seed() + "-" + b.number();
        java.util.List<Block> program = new java.util.ArrayList<>();
        Minimizer.placeLikeOriginal(program, original.ordinal(), m);
        int at = program.size() - 1;
        Differ.Run alone = differ.run(name, program);
        Path elf = alone.elf();
        ElfFile e = ElfFile.read(elf);
        long from = e.symbol(ProgramSource.bodyLabel(at)).orElseThrow();
        long to = e.symbol(ProgramSource.endLabel(at)).orElseThrow();
        s.append("  run alone (").append(elf.resolveSibling(name + ".S")).append(", block ").append(at).append("):\n");
        appendVerdict(s, alone.verdicts().get(at), 40);
        s.append("  objdump:\n");
        for (String line : differ.tools().disassemble(elf, from, to).split("\n")) {
            if (!line.isBlank()) {
                s.append("    ").append(line.strip()).append('\n');
            }
        }
        return s.toString();
    }

    private static void appendVerdict(StringBuilder s, Differ.Verdict v, int max) {
        if (v.fault() != null) {
            s.append("  HV fault: ").append(v.fault()).append('\n');
        }
        if (!v.differences().isEmpty()) {
            s.append("  differences (qemu-riscv64 is the reference):\n");
            int shown = 0;
            for (BlockState.Difference d : v.differences()) {
                if (shown++ == max) {
                    s.append("    ... ").append(v.differences().size() - max).append(" more\n");
                    break;
                }
                s.append("    ").append(d).append('\n');
            }
        }
        if (!v.failed()) {
            s.append("  (no difference when run alone)\n");
        }
    }

    private static void appendItems(StringBuilder s, Block b) {
        for (Item it : b.items()) {
            s.append(String.format("    [%2d] %-6s %s%s%n", it.index(), it.kind().name().toLowerCase(java.util.Locale.ROOT),
                    it, it.isBranch() ? "   (target: before item " + it.target() + ")" : ""));
        }
    }

    /** Register names that appear as operands in the block's lines, in order of appearance. */
    static Set<String> registersNamed(Block b) {
        Set<String> regs = new LinkedHashSet<>();
        for (Item it : b.items()) {
            for (String line : it.lines()) {
                String body = line.replaceFirst("^\\d+:\\s*", "");
                int sp = body.indexOf(' ');
                if (sp < 0) {
                    continue;
                }
                for (String tok : body.substring(sp + 1).split("[\\s,()]+")) {
                    if (!tok.isEmpty() && (Reg.xIndex(tok) >= 0 || Reg.fIndex(tok) >= 0) && !tok.equals("zero")) {
                        regs.add(tok);
                    }
                }
            }
        }
        return regs;
    }
}
