package hv.cpu.diff;

import java.util.List;

/**
 * One indivisible piece of a random block: one or more assembly lines that are only safe together
 * (e.g. the {@code addi} that points a register into the scratch area and the load through it, or a
 * balanced c.addi16sp pair). The minimizer removes whole items, so a reduced block is still safe.
 *
 * @param index  position in the generated block (stable under removal; branch targets refer to it)
 * @param kind   instruction class, for coverage checks and {@code -Dhv.diff.exclude}
 * @param lines  assembly lines; {@code %L} stands for this item's branch target label
 * @param target for a forward branch or jump: the index of the item it lands before (may be the
 *               block length = the end of the block); -1 for straight-line items
 */
record Item(int index, Kind kind, List<String> lines, int target) {

    Item {
        lines = List.copyOf(lines);
    }

    boolean isBranch() {
        return target >= 0;
    }

    @Override
    public String toString() {
        return String.join("; ", lines);
    }
}
