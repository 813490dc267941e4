/**
 * The memory of guest processes, managed the way a kernel manages it: a physical frame allocator
 * over guest RAM, and per-process address spaces (VMAs plus Sv39 page tables in guest RAM that
 * the harts' MMUs walk), with lazy population on page faults, fork copies and kernel-side
 * copy-in/copy-out for system calls.
 *
 * <p>May touch: java.lang.foreign memory segments only (the RAM segment comes from hv.memory's
 * GuestRam). Must never come in: the CPU, host files, threads: this package is pure bookkeeping
 * so that it can be tested without a hart.
 */
package hv.procvm.mem;
