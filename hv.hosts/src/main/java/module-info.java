/**
 * The host side: assembles a machine from memory, harts and devices; runs each vCPU on its own
 * host thread; owns the VM lifecycle, the built-in SBI (hypervisor mode), boot loading,
 * snapshot and migration. The only module that sees all the others.
 */
module hv.hosts {
    requires transitive hv.api;
    requires hv.memory;
    requires hv.cpu;
    requires hv.devices;
    requires org.jctools.core;

    exports hv.hosts;
    exports hv.hosts.boot;
    exports hv.hosts.sbi;
    exports hv.hosts.snapshot;
    exports hv.hosts.control;
}
