/**
 * The process VM's kernel: guest processes and threads, the Linux riscv64 system-call layer,
 * signals, futexes, fork/exec/wait, and program loading.
 *
 * <p>Design. A guest process is an address space ({@code hv.procvm.mem}) plus threads. The
 * runtime plays the kernel: it owns physical frames of one guest RAM, builds Sv39 page tables for
 * each process and runs each guest thread as a hart in U-mode with satp pointing at them, on a
 * host thread of its own. mmap/munmap/mprotect/brk edit the page tables (then shoot down the
 * harts' TLBs); a page-fault exit either populates a lazily mapped page or becomes SIGSEGV. clone
 * with CLONE_VM|CLONE_THREAD adds a hart sharing the address space; fork copies the address space
 * into a new process object inside the JVM; vfork borrows it until exec or exit; execve replaces
 * the image; wait4 waits on child process objects. Pipes are in-JVM ring buffers; other file
 * descriptors are host files through java.nio, with stdio passed through. Signals are delivered
 * between instruction slices and after system calls, on Linux-compatible frames.
 *
 * <p>Paths: without a sysroot the guest sees the host file system as is; with one, the sysroot is
 * the guest's root (chroot semantics, enforced by resolving every link in HV); see
 * {@link hv.procvm.fs.FileSystemView}.
 *
 * <p>May touch: hv.cpu (only through {@link hv.procvm.kernel.Vcpu}), hv.procvm.mem, .fs, .loader,
 * java.nio, java.management (CPU-time clocks). Must never come in: devices, hosts, native code.
 */
package hv.procvm.kernel;
