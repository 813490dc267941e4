/**
 * ELF64 images for RISC-V: parsing and validation only (the VMM and the process VM decide where
 * the bytes go). Every malformed input becomes an {@link hv.cpu.elf.ElfException} naming the problem.
 *
 * <p>May touch: nothing but java.base. Must never come in: memory, devices, I/O beyond byte arrays.
 */
package hv.cpu.elf;
