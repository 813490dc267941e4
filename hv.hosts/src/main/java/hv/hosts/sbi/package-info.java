/**
 * HV's built-in SBI (RISC-V Supervisor Binary Interface 2.0): in hypervisor mode HV plays the
 * M-mode firmware, so a guest's ecall from S-mode exits to here, KVM-style.
 *
 * <p>May touch: the {@link hv.hosts.sbi.SbiPlatform} the machine implements. Must never come in:
 * hart internals (the handler works on the register file only), device classes.
 */
package hv.hosts.sbi;
