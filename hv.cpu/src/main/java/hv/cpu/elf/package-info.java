/**
 * A validating reader of ELF64 little-endian RISC-V executables (System V gABI, RISC-V ELF psABI):
 * program headers (PT_LOAD, PT_INTERP, PT_PHDR), the entry point and the symbol table, and loading
 * of PT_LOAD segments into guest RAM by physical address. Used by the VMM (kernels, firmware, bare
 * metal tests with a {@code tohost} symbol), the process VM and tests.
 *
 * <p>May touch: hv.memory's GuestRam (loading). Must never come in: the hart, devices, hosts. Every
 * malformed input is an {@link hv.cpu.elf.ElfException} with a one-line message, never another exception.
 */
package hv.cpu.elf;
