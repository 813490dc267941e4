package hv.cpu.diff;

import java.util.List;

/**
 * A random instruction block and the state it starts from.
 *
 * @param seed    the master seed of the run
 * @param number  the block's number in the run (with the seed, enough to regenerate it)
 * @param items   the instructions
 * @param x       initial x0..x31 (x0, sp and s0 ignored: the prologue sets sp = s0 = the area)
 * @param f       initial f0..f31 raw bits
 * @param fcsr    initial fcsr (frm always a valid mode, so dynamic rounding never traps)
 * @param scratch initial scratch memory, {@link Area#SCRATCH} bytes as little-endian dwords
 */
record Block(long seed, int number, List<Item> items, long[] x, long[] f, long fcsr, long[] scratch) {

    Block {
        items = List.copyOf(items);
    }

    Block withItems(List<Item> fewer) {
        return new Block(seed, number, fewer, x, f, fcsr, scratch);
    }

    /** How to run just this block again. */
    String replay() {
        return "-Dhv.diff.seed=" + seed + " -Dhv.diff.only=" + number;
    }
}
