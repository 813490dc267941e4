package hv.cpu;

import static hv.cpu.Asm.*;

/** Not a unit test: per-instruction cost of dispatch shapes (ALU runs, loads/stores, tight branches). */
public final class MicroLoops {
    public static void main(String[] args) {
        try (TestMachine m = new TestMachine()) {
            long iters = args.length > 0 ? Long.parseLong(args[0]) : 200_000_000L;
            int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
            String only = args.length > 2 ? args[2] : "";
            TestMachine.Code alu = new TestMachine.Code().li(1, iters / 16);
            for (int i = 0; i < 15; i++) {
                alu.add(add(2 + (i % 8), 2 + ((i + 1) % 8), 1));
            }
            alu.add(addi(1, 1, -1), bne(1, 0, -4 * 16), EBREAK);
            TestMachine.Code mem = new TestMachine.Code().li(1, iters / 16).li(10, TestMachine.DATA);
            for (int i = 0; i < 7; i++) {
                mem.add(ld(2 + i, 10, 8 * i), sd(2 + i, 10, 64 + 8 * i));
            }
            mem.add(addi(1, 1, -1), bne(1, 0, -4 * 15), EBREAK);
            TestMachine.Code tight = new TestMachine.Code().li(1, iters / 2).add(addi(1, 1, -1), bne(1, 0, -4), EBREAK);
            TestMachine.Code calls = new TestMachine.Code().li(1, iters / 4).add(jal(5, 16), addi(1, 1, -1), bne(1, 0, -8), EBREAK,
                    jalr(0, 5, 0)); // call/return pairs: 4 instructions per iteration incl. the jalr
            for (int round = 0; round < rounds; round++) {
                if (only.isEmpty() || only.equals("alu")) {
                    time(m, "alu", alu);
                }
                if (only.isEmpty() || only.equals("mem")) {
                    time(m, "mem", mem);
                }
                if (only.isEmpty() || only.equals("tight")) {
                    time(m, "tight", tight);
                }
                if (only.isEmpty() || only.equals("calls")) {
                    time(m, "calls", calls);
                }
            }
        }
    }

    static void time(TestMachine m, String name, TestMachine.Code c) {
        m.put(TestMachine.BASE, c.build());
        m.hart.reset(TestMachine.BASE, Hart.PRIV_M);
        long n0 = m.hart.retired;
        long c0 = cpu();
        ExitReason r;
        do {
            r = m.hart.run(100_000_000);
        } while (r == ExitReason.BUDGET);
        long c1 = cpu();
        long n = m.hart.retired - n0;
        System.out.printf("%-6s %s %d insns %.1f MIPS/cpu-s%n", name, r, n, n / ((c1 - c0) / 1e3));
    }

    private static long cpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
