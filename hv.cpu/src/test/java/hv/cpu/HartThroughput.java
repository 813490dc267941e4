package hv.cpu;

import hv.memory.GuestRam;
import java.nio.file.Path;

/**
 * Not a unit test: measures the interpreter's speed on a bare-metal ELF (default: the program built
 * from src/test/guest/cpubench.c). Usage: java -cp ... hv.cpu.HartThroughput FILE.elf [runs]
 */
public final class HartThroughput {
    public static void main(String[] args) throws Exception {
        Path elf = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int i = 0; i < runs; i++) {
            try (BareMetal m = new BareMetal(elf, 64L << 20)) {
                m.echo = Boolean.getBoolean("echo");
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                int status = m.run(Long.MAX_VALUE / 2);
                long t1 = System.nanoTime();
                long c1 = cpuNanos();
                long n = m.hart.retired;
                System.out.printf("run %d: status %d, %d instructions in %.3f s wall (%.1f MIPS), %.3f s cpu (%.1f MIPS per process-cpu-s)%n",
                        i, status, n, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e3), (c1 - c0) / 1e9, n / ((c1 - c0) / 1e3));
                System.out.println("  " + m.hart.statsLine());
                System.out.println("  console: " + m.console.toString().trim());
                if (status != 0) {
                    System.out.printf("  mcause %d mepc 0x%x mtval 0x%x console %s%n", m.hart.mcause, m.hart.mepc, m.hart.mtval, m.console);
                }
            }
        }
        System.out.println(GuestRam.class.getSimpleName() + " ok");
    }

    /** CPU time of the whole process (JIT threads included): with other load on the machine this is fairer than wall time. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
