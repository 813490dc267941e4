/**
 * Program loading: parsing and validating riscv64 ELF executables, mapping them (and their ELF
 * interpreter) into a process's address space, and building the initial stack with argv, envp
 * and the auxiliary vector.
 *
 * <p>May touch: {@code hv.procvm.mem}. Must never come in: the CPU, host file access (the caller
 * hands over the file's bytes), system calls.
 */
package hv.procvm.loader;
