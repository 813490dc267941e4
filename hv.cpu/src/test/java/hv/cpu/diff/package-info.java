/**
 * The CPU differential test (issue 3): seeded random user-level instruction blocks (RV64 I, M, A,
 * F, D, C, Zba, Zbb, Zbs) are assembled with Debian's riscv64 cross toolchain into one static Linux
 * ELF linked inside HV's RAM window, run by qemu-riscv64 (the reference) and by an HV {@code Hart}
 * in process mode, and the final registers, fcsr and scratch memory of every block are compared.
 *
 * <p>May touch: the public API of hv.cpu (Hart, HartConfig, ElfFile) and hv.memory, external
 * processes (gcc, qemu-riscv64, objdump). Must never come in: anything of hv.cpu's package-private
 * internals (the test drives the hart only as a process VM would), hv.procvm or hv.hosts.
 */
package hv.cpu.diff;
