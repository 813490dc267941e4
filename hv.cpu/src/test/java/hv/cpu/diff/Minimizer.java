package hv.cpu.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a failing block to a few items (delta debugging over whole items, so every candidate is
 * still a safe block). Each round puts every "drop a chunk" candidate (halves, quarters, ... single
 * items) into one program, so a round costs one assemble and one run of each emulator; the smallest
 * candidate that still fails the same way (an HV fault, or differing state) becomes the next block.
 * Candidates keep the original's position parity (see {@link #placeLikeOriginal}); a failure that
 * depends on the exact pc (auipc values, an instruction straddling a page) may still shrink less.
 */
final class Minimizer {
    private static final int MAX_ROUNDS = 40;

    private final Differ differ;

    Minimizer(Differ differ) {
        this.differ = differ;
    }

    /** The smallest failing variant found and its verdict (the original's if nothing smaller fails). */
    Differ.Verdict minimize(Differ.Verdict failing) throws Exception {
        Differ.Verdict best = failing;
        boolean wantFault = failing.fault() != null;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Item> items = best.block().items();
            int n = items.size();
            if (n <= 1) {
                break;
            }
            List<Block> program = new ArrayList<>();
            for (int chunk = Math.max(1, n / 2); ; chunk /= 2) {
                for (int start = 0; start < n; start += chunk) {
                    List<Item> fewer = new ArrayList<>(items.subList(0, start));
                    fewer.addAll(items.subList(Math.min(n, start + chunk), n));
                    placeLikeOriginal(program, failing.ordinal(), best.block().withItems(fewer));
                }
                if (chunk == 1) {
                    break;
                }
            }
            Differ.Run run = differ.run("minimize-" + failing.block().seed() + "-" + failing.block().number(), program);
            Differ.Verdict smallest = null;
            for (Differ.Verdict v : run.verdicts()) {
                if (v.ordinal() % 2 != failing.ordinal() % 2) {
                    continue; // a filler
                }
                boolean same = wantFault ? v.fault() != null : v.fault() == null && !v.differences().isEmpty();
                if (same && (smallest == null || v.block().items().size() < smallest.block().items().size())) {
                    smallest = v;
                }
            }
            if (smallest == null) {
                break;
            }
            best = smallest;
        }
        return best;
    }

    /**
     * Appends {@code b} at an ordinal of the same parity as the original's, after an empty filler
     * block if needed: even-numbered blocks' scratch areas straddle a page boundary and odd ones do
     * not, so a failure that needs (or needs not) a page-crossing access keeps reproducing.
     */
    static void placeLikeOriginal(List<Block> program, int originalOrdinal, Block b) {
        if (program.size() % 2 != originalOrdinal % 2) {
            program.add(b.withItems(List.of()));
        }
        program.add(b);
    }
}
