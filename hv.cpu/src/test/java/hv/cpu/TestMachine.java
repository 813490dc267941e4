package hv.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;

/** RAM + physical map + MMU + one hart, with helpers to place code and run it. */
final class TestMachine implements AutoCloseable {
    static final long BASE = GuestRam.DEFAULT_BASE;
    /** Scratch data area used by tests (inside RAM, away from code). */
    static final long DATA = BASE + 0x10_0000;

    final GuestRam ram;
    final PhysicalMemory memory;
    final Mmu mmu;
    final ManualClock clock = new ManualClock();
    final Hart hart;

    TestMachine() {
        this(HartConfig.firmware());
    }

    TestMachine(HartConfig config) {
        this(config, 0);
    }

    TestMachine(HartConfig config, int hartId) {
        ram = GuestRam.allocate(BASE, GuestRam.MIN_SIZE);
        memory = new PhysicalMemory(ram);
        mmu = new Mmu(memory, hartId);
        hart = new Hart(hartId, mmu, clock, config);
        hart.debuggerAttached = true; // tests end with ebreak
    }

    /** Another hart on the same memory. */
    Hart addHart(int hartId, HartConfig config) {
        Hart h = new Hart(hartId, new Mmu(memory, hartId), clock, config);
        h.debuggerAttached = true;
        return h;
    }

    /** Writes 32-bit instruction words at addr. Returns the address after them. */
    long put(long addr, int... words) {
        for (int w : words) {
            ram.putInt(addr - BASE, w);
            addr += 4;
        }
        return addr;
    }

    void put16(long addr, int half) {
        ram.putShort(addr - BASE, (short) half);
    }

    long load64(long paddr) {
        return ram.getLong(paddr - BASE);
    }

    void store64(long paddr, long v) {
        ram.putLong(paddr - BASE, v);
    }

    /** Places code at BASE followed by ebreak, resets the hart to M-mode at BASE and runs to the ebreak. */
    Hart exec(int... code) {
        int[] all = java.util.Arrays.copyOf(code, code.length + 1);
        all[code.length] = Asm.EBREAK;
        put(BASE, all);
        hart.reset(BASE, Hart.PRIV_M);
        hart.flushDecodeCache();
        ExitReason r = hart.run(10_000_000);
        assertEquals(ExitReason.BREAKPOINT, r, () -> "exit at pc 0x" + Long.toHexString(hart.pc) + " mcause=" + hart.mcause);
        return hart;
    }

    /** Code builder: concatenates words and li sequences. */
    static final class Code {
        private final List<Integer> words = new ArrayList<>();

        Code add(int... ws) {
            for (int w : ws) {
                words.add(w);
            }
            return this;
        }

        Code li(int rd, long v) {
            return add(Asm.li(rd, v));
        }

        /** Number of instructions so far (for branch offsets). */
        int size() {
            return words.size();
        }

        int[] build() {
            return words.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Override
    public void close() {
        ram.close();
    }
}
