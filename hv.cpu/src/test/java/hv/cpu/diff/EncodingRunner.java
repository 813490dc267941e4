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
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Runs an {@link EncodingProgram} on an HV hart in process mode and plays the part of its signal
 * handler: a TRAP exit writes the outcome (illegal instruction / memory fault / other) into the
 * current record and steps over the trapping word by its encoded length, as the guest's handler
 * does under qemu-riscv64. System calls: sigaltstack (132) and rt_sigaction (134) succeed, write (64), exit (93/94).
 */
final class EncodingRunner {
    private static final int SYS_SIGALTSTACK = 132, SYS_RT_SIGACTION = 134, SYS_WRITE = 64, SYS_EXIT = 93, SYS_EXIT_GROUP = 94;

    record Outcome(byte[] stdout, int exitStatus, String problem) {
    }

    private EncodingRunner() {
    }

    static int outcomeOf(long cause) {
        return switch ((int) cause) {
            case Hart.CAUSE_ILLEGAL_INSTRUCTION -> EncodingProgram.ILLEGAL;
            case 4, 5, 6, 7, 13, 15 -> EncodingProgram.MEMORY_FAULT;
            default -> EncodingProgram.OTHER_TRAP;
        };
    }

    /** Runs the program on a hart with the given JIT threshold (0: interpreter only, 1: JIT forced). */
    static Outcome run(Path elfPath, long maxInstructions, int jitThreshold) throws ElfException {
        ElfFile elf = ElfFile.read(elfPath);
        long current = elf.symbol("current").orElseThrow(() -> new ElfException("no symbol 'current'"));
        try (GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, GuestRam.MIN_SIZE)) {
            elf.loadPhysical(ram);
            Hart hart = new Hart(0, new Mmu(new PhysicalMemory(ram), 0), new StoppedClock(), HartConfig.process().withJitThreshold(jitThreshold));
            hart.reset(elf.entry(), Hart.PRIV_U);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (hart.retired < maxInstructions) {
                ExitReason r = hart.run(100_000);
                switch (r) {
                    case ECALL -> {
                        long nr = hart.x[17];
                        if (nr == SYS_RT_SIGACTION || nr == SYS_SIGALTSTACK) {
                            hart.x[10] = 0;
                        } else if (nr == SYS_WRITE) {
                            long addr = hart.x[11];
                            long len = hart.x[12];
                            if (len < 0 || len > Integer.MAX_VALUE || !ram.contains(addr, len)) {
                                return new Outcome(out.toByteArray(), -1, "bad write at pc 0x" + Long.toHexString(hart.pc));
                            }
                            byte[] b = new byte[(int) len];
                            MemorySegment.copy(ram.segment(), ValueLayout.JAVA_BYTE, ram.offsetOf(addr), b, 0, b.length);
                            out.writeBytes(b);
                            hart.x[10] = len;
                        } else if (nr == SYS_EXIT || nr == SYS_EXIT_GROUP) {
                            return new Outcome(out.toByteArray(), (int) hart.x[10], null);
                        } else {
                            return new Outcome(out.toByteArray(), -1, "unexpected system call " + nr);
                        }
                        hart.advancePastEcall();
                    }
                    case TRAP -> {
                        if (!ram.contains(hart.pc, 2)) {
                            return new Outcome(out.toByteArray(), -1, "trap outside RAM at pc 0x" + Long.toHexString(hart.pc)
                                    + ", cause " + hart.trapCause);
                        }
                        long record = ram.getLong(ram.offsetOf(current));
                        ram.putLong(ram.offsetOf(record + EncodingProgram.OUTCOME), outcomeOf(hart.trapCause));
                        int low = ram.getShort(ram.offsetOf(hart.pc)) & 3;
                        hart.pc += low == 3 ? 4 : 2;
                    }
                    case BUDGET, PAUSE -> {
                    }
                    default -> {
                        return new Outcome(out.toByteArray(), -1, r + " at pc 0x" + Long.toHexString(hart.pc)
                                + (hart.internalError != null ? ": " + hart.internalError : ""));
                    }
                }
            }
            return new Outcome(out.toByteArray(), -1, "did not exit within " + maxInstructions + " instructions");
        }
    }

    private static final class StoppedClock implements GuestClock {
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
