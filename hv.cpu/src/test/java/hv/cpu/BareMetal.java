package hv.cpu;

import hv.api.device.MmioHandler;
import hv.cpu.elf.ElfException;
import hv.cpu.elf.ElfFile;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import java.nio.file.Path;

/**
 * A minimal bare-metal machine for test guests: RAM at 0x80000000, a UART transmit register at
 * 0x10000000 (output collected), the SiFive test finisher at 0x100000 and HTIF tohost, one hart in
 * firmware mode starting at the ELF entry in M-mode. Runs until the guest reports a verdict.
 */
final class BareMetal implements AutoCloseable {
    static final long UART = 0x1000_0000L, SYSCON = 0x10_0000L, CLINT = 0x200_0000L;

    final GuestRam ram;
    final PhysicalMemory memory;
    final Mmu mmu;
    final Hart hart;
    final StringBuilder console = new StringBuilder();
    private volatile int sysconVerdict = -1;
    /** Print each console line with the process CPU time (for HartThroughput). */
    boolean echo;
    private final long cpu0 = cpuNanos();

    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
    private final long tohostOffset;

    BareMetal(Path elfPath, long ramSize) throws ElfException {
        this(elfPath, ramSize, HartConfig.firmware());
    }

    BareMetal(Path elfPath, long ramSize, HartConfig config) throws ElfException {
        ElfFile elf = ElfFile.read(elfPath);
        ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, ramSize);
        memory = new PhysicalMemory(ram);
        memory.mapMmio("uart", UART, 0x100, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return offset == 5 ? 0x60 : 0; // LSR: transmitter empty
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) {
                    synchronized (console) {
                        console.append((char) (value & 0xff));
                        if (echo && (value & 0xff) == '\n') {
                            int start = console.lastIndexOf("\n", console.length() - 2) + 1;
                            System.out.printf("  [%.3f s cpu] %s", (cpuNanos() - cpu0) / 1e9, console.substring(start));
                        }
                    }
                }
            }
        });
        memory.mapMmio("syscon", SYSCON, 0x1000, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                int v = (int) value;
                if ((v & 0xffff) == 0x5555) {
                    sysconVerdict = 0;
                } else if ((v & 0xffff) == 0x3333) {
                    sysconVerdict = v >>> 16;
                }
            }
        });
        HostClock clock = new HostClock();
        long[] mtimecmp = {-1L};
        // A one-hart CLINT as on QEMU's virt machine: msip at +0, mtimecmp at +0x4000, mtime at +0xbff8.
        memory.mapMmio("clint", CLINT, 0x10000, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                if (offset == 0xbff8) {
                    return clock.mtime();
                }
                if (offset == 0xbffc) {
                    return clock.mtime() >>> 32;
                }
                if (offset == 0x4000) {
                    return mtimecmp[0];
                }
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                if (offset == 0) {
                    hart.link().setInterruptPending(hv.api.platform.HartLink.MSIP, (value & 1) != 0);
                } else if (offset == 0x4000) {
                    mtimecmp[0] = size == 8 ? value : (mtimecmp[0] & ~0xffff_ffffL) | (value & 0xffff_ffffL);
                    hart.link().setMachineTimerCompare(mtimecmp[0]);
                } else if (offset == 0x4004) {
                    mtimecmp[0] = (mtimecmp[0] & 0xffff_ffffL) | (value << 32);
                    hart.link().setMachineTimerCompare(mtimecmp[0]);
                }
            }
        });
        elf.loadPhysical(ram);
        tohostOffset = elf.symbol("tohost").isPresent() ? ram.offsetOf(elf.symbol("tohost").getAsLong()) : -1;
        mmu = new Mmu(memory, 0);
        hart = new Hart(0, mmu, clock, config);
        hart.reset(elf.entry(), Hart.PRIV_M);
    }

    /** Runs until a verdict: returns the exit status (0 pass, n fail), or throws on timeout/internal error. */
    int run(long maxInstructions) {
        long start = hart.retired;
        while (hart.retired - start < maxInstructions) {
            ExitReason r = hart.run(1_000_000);
            if (tohostOffset >= 0) {
                long v = ram.getLongVolatile(tohostOffset);
                if (v != 0) {
                    return (v & 1) != 0 ? (int) (v >>> 1) : (int) v;
                }
            }
            if (sysconVerdict >= 0) {
                return sysconVerdict;
            }
            switch (r) {
                case WFI -> hart.awaitInterrupt(1_000_000);
                case INTERNAL_ERROR -> throw new IllegalStateException(hart.internalError);
                case BUDGET, PAUSE -> {
                }
                default -> throw new IllegalStateException("unexpected exit " + r + " at pc 0x" + Long.toHexString(hart.pc)
                        + " cause " + hart.trapCause);
            }
        }
        throw new IllegalStateException("no verdict after " + maxInstructions + " instructions; pc=0x"
                + Long.toHexString(hart.pc) + " console=" + console);
    }

    @Override
    public void close() {
        ram.close();
    }

    /** mtime from the host's monotonic clock at 10 MHz. */
    static final class HostClock implements hv.api.platform.GuestClock {
        private final long origin = System.nanoTime();

        @Override
        public long mtime() {
            return (System.nanoTime() - origin) / 100;
        }

        @Override
        public long frequency() {
            return DEFAULT_FREQUENCY;
        }
    }
}
