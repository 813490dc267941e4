package hv.cpu.diff;

import hv.api.platform.GuestClock;
import hv.cpu.ExitReason;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a differential-test ELF on one HV hart in process mode, as a process VM would: the PT_LOAD
 * segments are loaded at their addresses in guest RAM (Bare translation: virtual = physical, which
 * is why the program is linked inside the RAM window), the hart starts at the entry in U-mode, and
 * the two system calls the program makes are emulated: write (64) collects the bytes, exit /
 * exit_group (93/94) ends the run.
 *
 * <p>A block that traps, stops with an internal error or runs away (it can only go forward, so a
 * few thousand instructions are plenty) is recorded as a fault of that block and the hart is sent
 * to the next block's prologue, so one CPU bug does not hide the results of the other blocks.
 */
final class HvRunner {
    /** Instructions one block may take at most (a block is at most a few hundred). */
    private static final long BLOCK_LIMIT = 200_000;
    private static final int SYS_WRITE = 64, SYS_EXIT = 93, SYS_EXIT_GROUP = 94;

    /** What HV did: its stdout, exit status (-1 if it never exited) and, per block ordinal, a fault description. */
    record Outcome(byte[] stdout, int exitStatus, Map<Integer, String> faults) {
    }

    private HvRunner() {
    }

    static Outcome run(Path elfPath, int blocks) throws ElfException {
        return run(elfPath, blocks, HartConfig.defaultJitThreshold());
    }

    /** Runs the program on a hart with the given JIT threshold (0: interpreter only, 1: JIT forced). */
    static Outcome run(Path elfPath, int blocks, int jitThreshold) throws ElfException {
        ElfFile elf = ElfFile.read(elfPath);
        long[] starts = new long[blocks + 1];
        for (int k = 0; k < blocks; k++) {
            starts[k] = symbol(elf, ProgramSource.blockLabel(k));
        }
        starts[blocks] = symbol(elf, "finish");
        long textEnd = 0;
        for (ElfFile.Segment seg : elf.loadSegments()) {
            if ((seg.flags() & ElfFile.PF_X) != 0) {
                textEnd = Math.max(textEnd, seg.vaddr() + seg.memsz());
            }
        }
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            PhysicalMemory memory = new PhysicalMemory(ram);
            elf.loadPhysical(ram);
            Hart hart = new Hart(0, new Mmu(memory, 0), new FixedClock(), HartConfig.process().withJitThreshold(jitThreshold));
            hart.reset(elf.entry(), Hart.PRIV_U);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<Integer, String> faults = new TreeMap<>();
            int block = -1;
            long blockStart = 0;
            long totalLimit = (blocks + 1) * BLOCK_LIMIT;
            while (hart.retired < totalLimit) {
                ExitReason r = hart.run(20_000);
                int k = blockOf(starts, textEnd, hart.pc);
                if (k != block) {
                    block = k;
                    blockStart = hart.retired;
                }
                switch (r) {
                    case ECALL -> {
                        long nr = hart.x[17];
                        if (nr == SYS_WRITE) {
                            long addr = hart.x[11];
                            long len = hart.x[12];
                            if (hart.x[10] != 1 || len < 0 || len > Integer.MAX_VALUE || !ram.contains(addr, len)) {
                                return new Outcome(out.toByteArray(), -1, failAt(faults, k, "bad write(" + hart.x[10]
                                        + ", 0x" + Long.toHexString(addr) + ", " + len + ")"));
                            }
                            byte[] b = new byte[(int) len];
                            java.lang.foreign.MemorySegment.copy(ram.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE,
                                    ram.offsetOf(addr), b, 0, b.length);
                            out.writeBytes(b);
                            hart.x[10] = len;
                            hart.advancePastEcall();
                        } else if (nr == SYS_EXIT || nr == SYS_EXIT_GROUP) {
                            return new Outcome(out.toByteArray(), (int) hart.x[10], faults);
                        } else {
                            faults.put(k, "unexpected system call " + nr + " at pc 0x" + Long.toHexString(hart.pc));
                            skipTo(hart, starts, k);
                        }
                    }
                    case BUDGET -> {
                        if (hart.retired - blockStart > BLOCK_LIMIT) {
                            faults.put(k, "ran more than " + BLOCK_LIMIT + " instructions (a block only goes forward); pc 0x"
                                    + Long.toHexString(hart.pc));
                            skipTo(hart, starts, k);
                        }
                    }
                    case PAUSE -> {
                        // a spin hint: nothing to do for one program on one hart
                    }
                    case TRAP -> {
                        faults.put(k, "trapped: cause " + hart.trapCause + " (" + causeName(hart.trapCause) + "), tval 0x"
                                + Long.toHexString(hart.trapTval) + ", at pc 0x" + Long.toHexString(hart.pc));
                        skipTo(hart, starts, k);
                    }
                    default -> {
                        faults.put(k, r + " at pc 0x" + Long.toHexString(hart.pc)
                                + (hart.internalError != null ? ": " + hart.internalError : ""));
                        skipTo(hart, starts, k);
                    }
                }
                if (k < 0) {
                    return new Outcome(out.toByteArray(), -1, failAt(faults, k, "left the program: pc 0x" + Long.toHexString(hart.pc)));
                }
            }
            return new Outcome(out.toByteArray(), -1, failAt(faults, block, "did not exit within " + totalLimit + " instructions"));
        }
    }

    private static Map<Integer, String> failAt(Map<Integer, String> faults, int k, String what) {
        faults.put(k, what);
        return faults;
    }

    /** Sends the hart to the prologue of the block after {@code k} (or to the final write). */
    private static void skipTo(Hart hart, long[] starts, int k) {
        if (k >= 0) {
            hart.pc = starts[Math.min(k + 1, starts.length - 1)];
        }
    }

    /** The block whose code contains pc (the last index means the final write/exit); -1 outside the program's text. */
    private static int blockOf(long[] starts, long textEnd, long pc) {
        if (pc < starts[0] || pc >= textEnd) {
            return -1;
        }
        for (int k = starts.length - 1; k > 0; k--) {
            if (pc >= starts[k]) {
                return k;
            }
        }
        return 0;
    }

    private static long symbol(ElfFile elf, String name) throws ElfException {
        return elf.symbol(name).orElseThrow(() -> new ElfException("symbol " + name + " missing from the test program"));
    }

    static String causeName(long cause) {
        return switch ((int) cause) {
            case 0 -> "instruction address misaligned";
            case 1 -> "instruction access fault";
            case 2 -> "illegal instruction";
            case 3 -> "breakpoint";
            case 4 -> "load address misaligned";
            case 5 -> "load access fault";
            case 6 -> "store/AMO address misaligned";
            case 7 -> "store/AMO access fault";
            case 8 -> "ecall from U";
            case 12 -> "instruction page fault";
            case 13 -> "load page fault";
            case 15 -> "store/AMO page fault";
            default -> "?";
        };
    }

    /** The program never reads the time; a constant clock keeps runs reproducible. */
    private static final class FixedClock implements GuestClock {
        @Override
        public long mtime() {
            return 0;
        }

        @Override
        public long frequency() {
            return DEFAULT_FREQUENCY;
        }
    }
}
