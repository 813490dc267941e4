package hv.cpu.diff;

import hv.cpu.HartConfig;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a list of blocks as one program on qemu-riscv64 and on HV and judges every block.
 * qemu is the reference: if it does not run the program to its end with the full dump, the program
 * itself is wrong (a generator bug) and the test fails saying so.
 */
final class Differ {
    /** A block's verdict: the fields that differ, and an HV fault (trap, runaway, internal error) or null. */
    record Verdict(Block block, int ordinal, List<BlockState.Difference> differences, String fault) {
        boolean failed() {
            return fault != null || !differences.isEmpty();
        }
    }

    record Run(Path elf, List<Verdict> verdicts) {
    }

    private final Toolchain tools;
    /** HartConfig.jitThreshold of HV's hart: 0 interpreter only, 1 every block translated at once. */
    private final int jitThreshold;

    Differ(Toolchain tools) {
        this(tools, HartConfig.defaultJitThreshold());
    }

    Differ(Toolchain tools, int jitThreshold) {
        this.tools = tools;
        this.jitThreshold = jitThreshold;
    }

    Toolchain tools() {
        return tools;
    }

    Run run(String name, List<Block> blocks) throws Exception {
        Path elf = tools.build(name, ProgramSource.render(blocks));
        int expectedBytes = blocks.size() * Area.SIZE;
        Toolchain.Result q = tools.runQemu(elf);
        if (q.status() != 0 || q.stdout().length != expectedBytes) {
            fail("qemu-riscv64 did not run the generated program " + elf + " to its end (exit status " + q.status() + ", "
                    + q.stdout().length + " of " + expectedBytes + " bytes): the generator made an unsafe block. "
                    + "Seed " + blocks.get(0).seed() + ", blocks " + blocks.get(0).number() + ".."
                    + blocks.get(blocks.size() - 1).number() + "\n" + q.stderr());
        }
        HvRunner.Outcome hv = HvRunner.run(elf, blocks.size(), jitThreshold);
        List<Verdict> verdicts = new ArrayList<>(blocks.size());
        boolean complete = hv.stdout().length == expectedBytes;
        for (int k = 0; k < blocks.size(); k++) {
            String fault = hv.faults().get(k);
            List<BlockState.Difference> diffs = List.of();
            if (complete && fault == null) {
                diffs = BlockState.differences(BlockState.finalState(q.stdout(), k), BlockState.finalState(hv.stdout(), k));
            } else if (fault == null) {
                fault = "HV did not write the dump (exit status " + hv.exitStatus() + ", " + hv.stdout().length + " of "
                        + expectedBytes + " bytes; faults " + hv.faults() + ")";
            }
            verdicts.add(new Verdict(blocks.get(k), k, diffs, fault));
        }
        if (hv.exitStatus() != 0 && complete) {
            verdicts.set(0, new Verdict(blocks.get(0), 0, verdicts.get(0).differences(),
                    "HV's run of the program exited with status " + hv.exitStatus() + " (qemu: 0)"));
        }
        return new Run(elf, verdicts);
    }
}
