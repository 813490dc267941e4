/**
 * The process VM ({@code hv exec}, like qemu-user): {@link hv.procvm.ProcessVm} runs a riscv64
 * Linux program on the host, in U-mode on hv.cpu harts, with hv.memory's MMU translating through
 * page tables that the process VM's own kernel ({@code hv.procvm.kernel}) builds and edits.
 *
 * <p>Lives here: the public entry point, the adapter from hv.cpu's Hart to the kernel's Vcpu (and
 * the pool that reuses the harts of ended threads), and the guest time base. May touch: hv.cpu, hv.memory, hv.api and the subpackages. Must never come
 * in: devices, hosts, Netty, native code.
 */
package hv.procvm;
