/**
 * Guest physical memory and the MMU: RAM as an off-heap MemorySegment, the physical address
 * map (RAM, MMIO, holes), the shadow-page-table MMU with its per-hart TLB, and dirty-page
 * logging. Requires only hv.api; never the CPU, devices or hosts.
 */
module hv.memory {
    requires transitive hv.api;

    exports hv.memory;
}
