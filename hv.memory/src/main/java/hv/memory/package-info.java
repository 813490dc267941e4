/**
 * Guest physical memory and address translation.
 *
 * <p>Lives here: guest RAM (an off-heap MemorySegment at 0x80000000), the physical address map
 * (RAM, MMIO windows, holes), the per-hart MMU with its software TLB and the shadow page tables
 * behind it, write-protect tracking of guest page-table pages, and the dirty-page log.
 * May touch: hv.api only. Must never come in: the CPU (harts call us, not the reverse), devices,
 * hosts, Unsafe.
 */
package hv.memory;
