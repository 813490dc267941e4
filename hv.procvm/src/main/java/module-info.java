/**
 * The process VM ({@code hv exec}): runs one riscv64 Linux program in U-mode on hv.cpu, with
 * hv.memory providing its address space and system calls emulated against the host.
 * Requires hv.cpu and hv.memory; never devices or hosts.
 */
module hv.procvm {
    requires transitive hv.cpu;
    requires java.management;

    exports hv.procvm;
}
