/**
 * The CPU differential tests of issue 3, with qemu-riscv64 (Debian's qemu-user) as the reference.
 *
 * <ul>
 *   <li>{@link hv.cpu.diff.CpuDifferentialTest}: seeded random user-level blocks (RV64 I, M, A, F, D,
 *       C, Zba, Zbb, Zbs; {@link hv.cpu.diff.BlockGenerator}) are assembled with Debian's riscv64
 *       cross toolchain into one static Linux ELF linked inside HV's RAM window, run by qemu-riscv64
 *       and by an HV {@code Hart} in process mode ({@link hv.cpu.diff.HvRunner}), and the final
 *       registers, fcsr and scratch memory of every block are compared; a failing block is shrunk
 *       ({@link hv.cpu.diff.Minimizer}) and explained ({@link hv.cpu.diff.FailureReport}).</li>
 *   <li>{@link hv.cpu.diff.EncodingDifferentialTest}: single random instruction words, legal and
 *       not, must have the same outcome (executes / illegal / memory fault) and effect in both.</li>
 *   <li>{@link hv.cpu.diff.ReferenceQuirks}: known-answer probes that keep qemu's own bugs from being
 *       reported as HV bugs (and check HV against the specification on those instructions).</li>
 * </ul>
 *
 * <p>May touch: the public API of hv.cpu (Hart, HartConfig, ExitReason, ElfFile) and hv.memory,
 * external processes (riscv64-linux-gnu-gcc/objdump, qemu-riscv64), files under target/cpu-diff.
 * Must never come in: hv.cpu's package-private internals (the tests drive the hart only as a process
 * VM would), hv.procvm, hv.hosts.
 */
package hv.cpu.diff;
