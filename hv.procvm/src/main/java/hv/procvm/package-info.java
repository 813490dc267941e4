/**
 * The process VM: ELF loading, the initial stack, the Linux riscv64 system-call layer.
 *
 * <p>May touch: hv.cpu, hv.memory, hv.api. Must never come in: devices, hosts, Netty.
 */
package hv.procvm;
