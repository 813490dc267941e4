package hv.procvm.kernel;

import hv.cpu.ExitReason;

/**
 * What the process VM needs from one hart: its user-visible registers, running it in U-mode until
 * an exit, the trap details of a TRAP exit, and control over its translation caches. Implemented
 * on hv.cpu's Hart and hv.memory's Mmu by {@link HartVcpu}; an interface so that the kernel can
 * be unit-tested with scripted system calls.
 */
public interface Vcpu {
    /** The integer registers x0..x31 (live array; x0 stays 0). */
    long[] x();

    /** The FP registers f0..f31 as raw 64-bit patterns (live array). */
    long[] f();

    long pc();

    void setPc(long pc);

    /** fcsr (frm and fflags). */
    long fcsr();

    void setFcsr(long value);

    /** Runs guest code in U-mode for at most {@code budget} instructions. */
    ExitReason run(long budget);

    /** For a TRAP exit: the exception code (mcause) and the trap value (mtval). */
    long trapCause();

    long trapValue();

    /** Selects an address space (satp) and drops every cached translation. Owning thread only. */
    void activate(long satp);

    /** Drops every cached translation. Owning thread only. */
    void flushLocal();

    /** Asks the hart to drop its cached translations at its next block boundary. Any thread. */
    void requestFlush();

    /** Executable memory changed: decoded instructions must be revalidated before they run. Any thread. */
    void codeChanged();

    /** The thread is gone: release the hart's resources. */
    void close();

    /** Instructions retired so far. */
    long instret();

    /** A line of counters for --stats. */
    String statsLine();
}
