package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 3's differential test: random user-level blocks run by HV and by qemu-riscv64 must end in
 * the same registers, fcsr and memory.
 *
 * <p>System properties (all optional):
 * <ul>
 *   <li>{@code hv.diff.count} blocks to run (default 200), {@code hv.diff.length} items per block (50);</li>
 *   <li>{@code hv.diff.seed} the master seed (default: random, printed); {@code hv.diff.only=N} runs
 *       only block N of that seed (the replay the report prints);</li>
 *   <li>{@code hv.diff.exclude=c,fcsr,...} leaves instruction classes out (see {@link Kind});
 *       {@code hv.diff.avoid=ctzw,fsqrt.s,...} leaves single mnemonics out;</li>
 *   <li>{@code hv.diff.minimize} how many failing blocks to shrink for the report (default 3).</li>
 * </ul>
 * Example long run: {@code ./mvnw -o -q -B -pl hv.cpu -am test -Dtest=CpuDifferentialTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dhv.diff.count=20000}.
 *
 * <p>Instructions the installed qemu-riscv64 is known to get wrong ({@link ReferenceQuirks}) are
 * not generated; the run logs which.
 */
class CpuDifferentialTest {
    /** Blocks per program: one assemble + one qemu run + one HV run each. */
    private static final int BATCH = 100;

    /** Interpreter only (jitThreshold 0) and every block translated at once (1). */
    @ParameterizedTest(name = "jitThreshold={0}")
    @ValueSource(ints = {0, 1})
    void hvMatchesQemuOnRandomBlocks(int jitThreshold) throws Exception {
        long seed = Long.getLong("hv.diff.seed", System.nanoTime());
        int count = Integer.getInteger("hv.diff.count", 200);
        int length = Integer.getInteger("hv.diff.length", 50);
        Integer only = Integer.getInteger("hv.diff.only");
        int minimize = Integer.getInteger("hv.diff.minimize", 3);
        Set<Kind> excluded = Kind.parseList(System.getProperty("hv.diff.exclude", ""));
        Set<String> avoided = new TreeSet<>(List.of(System.getProperty("hv.diff.avoid", "").split("[,\\s]+")));
        avoided.remove("");
        log("jitThreshold " + jitThreshold + ", seed " + seed + " (replay with -Dhv.diff.seed=" + seed + "), "
                + (only != null ? "block " + only : count + " blocks") + " of " + length + " items"
                + (excluded.isEmpty() ? "" : ", excluding " + excluded) + (avoided.isEmpty() ? "" : ", avoiding " + avoided));

        Toolchain tools = Toolchain.find();
        Map<String, String> quirks = ReferenceQuirks.detect(tools);
        quirks.forEach((m, why) -> log("not generating " + m + ": the reference is wrong: " + why));
        avoided.addAll(quirks.keySet());

        BlockGenerator gen = new BlockGenerator(seed, excluded, avoided);
        Differ differ = new Differ(tools, jitThreshold);
        List<Differ.Verdict> failures = new ArrayList<>();
        Map<Kind, Integer> executed = new EnumMap<>(Kind.class);
        long start = System.nanoTime();
        int first = only != null ? only : 0;
        int end = only != null ? only + 1 : count;
        for (int b = first; b < end; b += BATCH) {
            List<Block> blocks = new ArrayList<>();
            for (int n = b; n < Math.min(end, b + BATCH); n++) {
                Block block = gen.generate(n, length);
                blocks.add(block);
                block.items().forEach(it -> executed.merge(it.kind(), 1, Integer::sum));
            }
            Differ.Run run = differ.run("diff-" + seed + "-" + b, blocks);
            int before = failures.size();
            for (Differ.Verdict v : run.verdicts()) {
                if (v.failed()) {
                    failures.add(v);
                }
            }
            if (failures.size() == before) {
                tools.discard(run.elf());
            }
        }
        log(String.format("%d blocks, %d items %s, in %.1f s; %d blocks differ", end - first,
                executed.values().stream().mapToInt(Integer::intValue).sum(), executed, (System.nanoTime() - start) / 1e9,
                failures.size()));
        if (only == null && count * length >= 2000) {
            // guards the generator: a class that silently stopped being generated would be a hole
            assertEquals(Kind.values().length - excluded.size(), executed.size(),
                    "some instruction class was never generated: " + executed.keySet());
        }
        if (!failures.isEmpty()) {
            fail(report(seed, end - first, failures, minimize, differ));
        }
    }

    private static String report(long seed, int blocks, List<Differ.Verdict> failures, int minimize, Differ differ)
            throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("hv.cpu.diff: HV differs from qemu-riscv64 in ").append(failures.size()).append(" of ").append(blocks)
                .append(" random blocks (seed ").append(seed).append(")\n");
        for (Differ.Verdict v : failures) {
            report.append("  block ").append(v.block().number()).append(": ")
                    .append(v.fault() != null ? "HV " + v.fault()
                            : v.differences().get(0) + (v.differences().size() > 1
                                    ? " (+" + (v.differences().size() - 1) + " more)" : ""))
                    .append('\n');
        }
        Minimizer minimizer = new Minimizer(differ);
        for (int i = 0; i < Math.min(failures.size(), Math.max(minimize, 3)); i++) {
            Differ.Verdict v = failures.get(i);
            report.append('\n').append(FailureReport.of(v, i < minimize ? minimizer.minimize(v) : null, differ));
        }
        System.err.println(report);
        return report.toString();
    }

    private static void log(String line) {
        System.err.println("CpuDifferentialTest: " + line);
    }
}
