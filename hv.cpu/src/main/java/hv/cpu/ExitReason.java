package hv.cpu;

/** Why a hart stopped running guest code and returned to the VMM (cf. KVM's exit reasons). */
public enum ExitReason {
    /** ecall from S-mode in hypervisor mode (HV is the SBI), or from U-mode in process mode (a syscall). */
    ECALL,
    /** The guest executed WFI with nothing pending: the VMM parks the thread until an interrupt. */
    WFI,
    /**
     * The guest executed PAUSE (Zihintpause), the spin-wait hint of Linux's cpu_relax(): the hart is
     * waiting for another hart, so the VMM should let the host run other threads (yield) before
     * calling {@link Hart#run} again. pc is already past the PAUSE; re-entering run() starts with a
     * full boundary check (timers, interrupts), so a hart that yields still takes its timer ticks.
     */
    PAUSE,
    /** The instruction budget ran out (lets the VMM pause, snapshot, check tohost, ...). */
    BUDGET,
    /**
     * A trap that the VMM handles instead of the guest: in process-VM mode every exception taken
     * from U-mode (page fault, illegal instruction, ...) exits with this reason; the hart keeps the
     * cause and tval for the VMM.
     */
    TRAP,
    /** ebreak while a debugger is attached. */
    BREAKPOINT,
    /**
     * Stopped for a debugger: before an instruction at one of the breakpoints given to
     * {@link Hart#watchBreakpoints}, or after the one instruction of {@link Hart#step}. pc is the next
     * instruction to run; nothing about the guest changed.
     */
    DEBUG,
    /** The core hit a condition it cannot emulate (a bug): the VM stops with a message. */
    INTERNAL_ERROR
}
