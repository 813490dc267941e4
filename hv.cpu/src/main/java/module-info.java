/**
 * The trap-and-emulate RV64GC core: decoding, the interpreter, CSRs, privilege levels, traps,
 * and the exits to the VMM. Requires hv.api and hv.memory; never devices or hosts.
 */
module hv.cpu {
    requires transitive hv.api;
    requires transitive hv.memory;

    exports hv.cpu;
    exports hv.cpu.elf;
}
