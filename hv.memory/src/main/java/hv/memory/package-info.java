/**
 * Guest physical memory and address translation.
 *
 * <p>Lives here: guest RAM ({@link hv.memory.GuestRam}: an off-heap MemorySegment at 0x80000000,
 * lazily committed by mmap), the physical address map ({@link hv.memory.PhysicalMemory}: RAM, MMIO
 * windows, holes, and the device DMA view), the per-hart MMU ({@link hv.memory.Mmu}) with its
 * software TLB and the shadow page tables behind it (ShadowTables, ShadowSpace, PageWalker),
 * write-protect tracking of guest page-table pages (PageTableTracker), the dirty-page log
 * ({@link hv.memory.DirtyLog}) and the code-write log ({@link hv.memory.CodeWriteLog}: which pages
 * may have changed since a hart decoded them).
 *
 * <p>How a guest access goes: loadNN/storeNN/fetchOffset look up a direct-mapped TLB (a few array
 * reads and one compare). On a miss, the slow path consults the current address space's shadow
 * (guest-virtual page → guest leaf PTE), else walks the guest tables (privileged spec 4.3.2),
 * tracking each table page it reads, and fills the shadow and the TLB. Guest stores into tracked
 * pages never hit the store TLB; they invalidate what was built from the entries they change,
 * locally at once and on other harts through messages taken at their next pollFlush.
 *
 * <p>May touch: hv.api only. Must never come in: the CPU (harts call us, not the reverse), devices,
 * hosts, Unsafe. Restricted FFM methods (mmap/munmap via the Linker) are used by RamAllocator only;
 * the launcher should pass {@code --enable-native-access=hv.memory}.
 */
package hv.memory;
