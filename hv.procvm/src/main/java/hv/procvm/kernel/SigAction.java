package hv.procvm.kernel;

/** One entry of a process's signal disposition table (kernel struct sigaction for riscv: handler, flags, mask). */
record SigAction(long handler, long flags, long mask) {
    static final SigAction DEFAULT = new SigAction(Signals.SIG_DFL, 0, 0);
}
