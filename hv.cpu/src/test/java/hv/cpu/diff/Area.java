package hv.cpu.diff;

/**
 * Layout of one block's data area (in the ELF's .data, at a fixed address). s0 and sp point at its
 * start while the block runs. Every offset fits a 12-bit load/store immediate from s0.
 *
 * <pre>
 *    0 .. 1023  scratch: the only memory the random instructions read or write
 * 1024 .. 1535  initial state: x1..x31, f0..f31, fcsr (x2, x8 slots unused: they are set to the area)
 * 1536 .. 2047  final state:   x1..x31, f0..f31, fcsr, stored by the epilogue
 * </pre>
 */
final class Area {
    static final int SCRATCH = 1024;
    static final int INIT = 1024;
    static final int FINAL = 1536;
    /** Within a state record: x1..x31 at 0, f0..f31 at 248, fcsr at 504. */
    static final int X_OFF = 0, F_OFF = 248, FCSR_OFF = 504;
    static final int SIZE = 2048;
    /**
     * Scratch offset at which even-numbered blocks cross a 4 KiB page (the areas start 512 bytes
     * before a page boundary), so misaligned accesses there straddle two pages.
     */
    static final int PAGE_CROSSING = 512;

    private Area() {
    }

    static int xSlot(int state, int reg) {
        return state + X_OFF + 8 * (reg - 1);
    }

    static int fSlot(int state, int reg) {
        return state + F_OFF + 8 * reg;
    }

    static int fcsrSlot(int state) {
        return state + FCSR_OFF;
    }
}
