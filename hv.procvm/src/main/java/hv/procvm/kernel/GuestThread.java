package hv.procvm.kernel;

import hv.cpu.ExitReason;
import hv.procvm.fs.Errno;
import hv.procvm.fs.Waiter;
import hv.procvm.mem.AddressSpace;
import hv.procvm.mem.BadAddressException;
import hv.procvm.mem.OutOfGuestMemoryException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A guest thread: one hart running on its own host thread. Its loop runs guest code in slices of
 * {@link #BUDGET} instructions and handles the hart's exits: system calls, page faults (lazy
 * population or SIGSEGV), other traps (signals), and pending signals between slices.
 *
 * <p>Blocking system calls wait through {@link #await}, which a signal or the process exiting
 * interrupts: the sender sets the pending bit, then notifies the monitor this thread waits on.
 */
final class GuestThread implements Waiter {
    /** Instructions per slice: the latency of noticing signals and exit requests while computing. */
    static final long BUDGET = 1L << 20;
    private static final System.Logger LOG = System.getLogger("hv.procvm");

    final Kernel kernel;
    volatile GuestProcess process;
    final int tid;
    final Vcpu cpu;

    // --- signals (blocked is written by this thread only; pending by anyone)
    volatile long blocked;
    final AtomicLong pending = new AtomicLong();
    private final SigInfo[] info = new SigInfo[Signals.NSIG + 1];
    long altStackSp;
    long altStackSize;
    int altStackFlags = 2; // SS_DISABLE
    /** The last system call returned ERESTARTSYS: pc is still at its ecall and a0 is restored. */
    boolean restartPending;
    /** A signal handler with SA_RESTART may restart the interrupted call (poll/sleep never restart). */
    boolean restartAllowed;
    /** The mask sigsuspend replaced: restored by the handler's sigreturn, or right away if no handler runs. */
    long maskToRestore = -1;

    /** The system calls' transfer buffer (read/write/sendfile), kept between calls. */
    private byte[] scratch = new byte[0];

    // --- thread bookkeeping
    long clearChildTid;
    long robustList;
    volatile boolean exitRequested;
    private volatile Object blockedOn;
    private Thread host;
    private long lastFaultPc = -1;
    private long lastFaultAddr = -1;
    private int faultRepeats;

    GuestThread(Kernel kernel, GuestProcess process, int tid, Vcpu cpu) {
        this.kernel = kernel;
        this.process = process;
        this.tid = tid;
        this.cpu = cpu;
    }

    void start() {
        host = Thread.ofPlatform().name("guest-" + tid).daemon(true).stackSize(4L << 20).unstarted(this::runLoop);
        host.start();
    }

    Thread hostThread() {
        return host;
    }

    private final AddressSpace.TlbShootdown shootdown = new AddressSpace.TlbShootdown() {
        @Override
        public void flushAll() {
            cpu.requestFlush();
        }

        @Override
        public void codeChanged() {
            cpu.codeChanged();
        }
    };

    /**
     * A buffer of at least {@code n} bytes for one system call's data, reused by the next call (a
     * new array per call meant zeroing up to 1 MiB, often for a few bytes). Owning thread only.
     */
    byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, FileCalls.MAX_IO))];
        }
        return scratch;
    }

    /** Points the hart at the process's (possibly new) address space. Owning thread, or before start. */
    void activate(AddressSpace as) {
        as.attach(shootdown);
        cpu.activate(as.satp());
    }

    void deactivate(AddressSpace as) {
        as.detach(shootdown);
    }

    // ------------------------------------------------------------------ the loop

    private void runLoop() {
        try {
            while (!shouldStop()) {
                deliverSignals();
                if (shouldStop()) {
                    break;
                }
                ExitReason r = cpu.run(BUDGET);
                switch (r) {
                    case ECALL -> kernel.syscalls.dispatch(this);
                    case TRAP -> handleTrap();
                    case BUDGET -> {
                    }
                    case WFI -> Thread.onSpinWait();
                    case BREAKPOINT -> forceSignal(Signals.SIGTRAP, SigInfo.fault(Signals.SIGTRAP, Signals.TRAP_BRKPT, cpu.pc()));
                    case INTERNAL_ERROR -> {
                        kernel.diag("internal error in the hart at pc 0x" + Long.toHexString(cpu.pc()) + " (thread " + tid + ")");
                        kernel.exitGroup(process, Signals.killedStatus(Signals.SIGILL), this);
                    }
                }
            }
        } catch (OutOfGuestMemoryException e) {
            kernel.diag("guest RAM exhausted: process " + process.pid + " killed");
            kernel.exitGroup(process, Signals.killedStatus(Signals.SIGKILL), this);
        } catch (RuntimeException | Error e) {
            // A bug in HV, not the guest's doing: report it once, kill the process, keep HV alive.
            LOG.log(System.Logger.Level.ERROR, "process VM internal error in thread " + tid, e);
            kernel.diag("internal error: " + e);
            kernel.exitGroup(process, Signals.killedStatus(Signals.SIGKILL), this);
        } finally {
            kernel.threadEnded(this);
        }
    }

    private boolean shouldStop() {
        return exitRequested || process.exiting;
    }

    /** Page faults become lazy population or SIGSEGV; other exceptions become their signals. */
    private void handleTrap() {
        long cause = cpu.trapCause();
        long tval = cpu.trapValue();
        if (kernel.strace) {
            kernel.trace(tid + " trap cause=" + cause + " tval=0x" + Long.toHexString(tval) + " pc=0x" + Long.toHexString(cpu.pc()));
        }
        switch ((int) cause) {
            case 12, 13, 15 -> {
                int access = cause == 12 ? AddressSpace.FETCH : cause == 13 ? AddressSpace.LOAD : AddressSpace.STORE;
                AddressSpace as = process.as;
                int result = as.handleFault(tval, access);
                if (result == AddressSpace.FAULT_POPULATED) {
                    faultRepeats = 0;
                    return;
                }
                if (result == AddressSpace.FAULT_ALREADY_PRESENT) {
                    // The page is present but the hart faulted: a stale translation. Flush and retry,
                    // a few times at most (a hart that keeps faulting would otherwise spin forever).
                    faultRepeats = cpu.pc() == lastFaultPc && tval == lastFaultAddr ? faultRepeats + 1 : 1;
                    lastFaultPc = cpu.pc();
                    lastFaultAddr = tval;
                    if (faultRepeats <= 3) {
                        cpu.flushLocal();
                        return;
                    }
                    faultRepeats = 0;
                    kernel.diag("page fault at 0x" + Long.toHexString(tval) + " persists on a present page");
                }
                int code = as.vmaAt(tval) == null ? Signals.SEGV_MAPERR : Signals.SEGV_ACCERR;
                forceSignal(Signals.SIGSEGV, SigInfo.fault(Signals.SIGSEGV, code, tval));
            }
            case 2 -> forceSignal(Signals.SIGILL, SigInfo.fault(Signals.SIGILL, Signals.ILL_ILLOPC, cpu.pc()));
            case 3 -> forceSignal(Signals.SIGTRAP, SigInfo.fault(Signals.SIGTRAP, Signals.TRAP_BRKPT, cpu.pc()));
            case 0, 4, 6 -> forceSignal(Signals.SIGBUS, SigInfo.fault(Signals.SIGBUS, Signals.BUS_ADRALN, tval));
            default -> forceSignal(Signals.SIGSEGV, SigInfo.fault(Signals.SIGSEGV, Signals.SEGV_ACCERR, tval));
        }
    }

    // ------------------------------------------------------------------ signals

    synchronized void setInfo(int sig, SigInfo i) {
        info[sig] = i;
    }

    SigInfo takeInfoForWait(int sig) {
        return takeInfo(sig);
    }

    private synchronized SigInfo takeInfo(int sig) {
        SigInfo i = info[sig];
        info[sig] = null;
        return i;
    }

    /**
     * A synchronous fault signal (force_sig_fault): if the thread blocks or ignores it, the
     * disposition reverts to the default so the fault kills the process instead of looping.
     */
    void forceSignal(int sig, SigInfo i) {
        SigAction a = process.action(sig);
        if ((blocked & Signals.bit(sig)) != 0 || a.handler() == Signals.SIG_IGN) {
            process.setAction(sig, SigAction.DEFAULT);
            blocked &= ~Signals.bit(sig);
        }
        setInfo(sig, i);
        pending.getAndUpdate(p -> p | Signals.bit(sig));
    }

    /** The signals that are pending for this thread (its own and its process's) and not blocked. */
    long deliverable() {
        return (pending.get() | process.sharedPending.get()) & ~(blocked & ~Signals.UNBLOCKABLE);
    }

    /** Whether a blocking wait must give way: exit, or a signal that would do something. */
    boolean interrupted() {
        if (shouldStop()) {
            return true;
        }
        long d = deliverable();
        while (d != 0) {
            int sig = Long.numberOfTrailingZeros(d) + 1;
            if (!process.ignores(sig)) {
                return true;
            }
            d &= d - 1;
        }
        return false;
    }

    /** Wakes this thread if it waits in {@link #await}. Any thread. */
    void wake() {
        Object m = blockedOn;
        if (m != null) {
            synchronized (m) {
                m.notifyAll();
            }
        }
    }

    /** Delivers pending unblocked signals: ignore, kill the process, or enter a handler. */
    void deliverSignals() {
        while (true) {
            long d = deliverable();
            if (d == 0) {
                break;
            }
            int sig = Long.numberOfTrailingZeros(d) + 1;
            long bit = Signals.bit(sig);
            SigInfo si;
            if ((pending.get() & bit) != 0) {
                pending.getAndUpdate(p -> p & ~bit);
                si = takeInfo(sig);
            } else {
                long before = process.sharedPending.getAndUpdate(p -> p & ~bit);
                if ((before & bit) == 0) {
                    continue; // another thread took it
                }
                si = process.takeSharedInfo(sig);
            }
            if (si == null) {
                si = SigInfo.kernel(sig);
            }
            SigAction a = process.action(sig);
            if (a.handler() == Signals.SIG_IGN || (a.handler() == Signals.SIG_DFL && Signals.defaultIgnored(sig))) {
                continue;
            }
            if (a.handler() == Signals.SIG_DFL) {
                kernel.exitGroup(process, Signals.killedStatus(sig), this);
                return;
            }
            if (restartPending) {
                if ((a.flags() & Signals.SA_RESTART) == 0 || !restartAllowed) {
                    cpu.x()[10] = -Errno.EINTR;
                    cpu.setPc(cpu.pc() + 4);
                }
                restartPending = false;
            }
            long saved = maskToRestore != -1 ? maskToRestore : blocked;
            maskToRestore = -1;
            try {
                SignalFrames.push(this, sig, a, si, saved);
            } catch (BadAddressException e) {
                // No room for the frame (stack overflow): the kernel kills with SIGSEGV.
                kernel.exitGroup(process, Signals.killedStatus(Signals.SIGSEGV), this);
                return;
            }
            break;
        }
        restartPending = false;
        if (maskToRestore != -1) {
            blocked = maskToRestore;
            maskToRestore = -1;
        }
    }

    /**
     * ppoll, pselect6, epoll_pwait: {@code mask} replaces the signal mask for the duration of the
     * wait. {@link #endTemporaryMask} puts the old one back, unless the wait was interrupted: then
     * the handler runs with the temporary mask in force and its sigreturn restores the old one (as
     * Linux's restore_saved_sigmask_unless does).
     */
    void beginTemporaryMask(long mask) {
        maskToRestore = blocked;
        blocked = mask & ~Signals.UNBLOCKABLE;
    }

    void endTemporaryMask(boolean interrupted) {
        if (!interrupted && maskToRestore != -1) {
            blocked = maskToRestore;
            maskToRestore = -1;
        }
    }

    // ------------------------------------------------------------------ Waiter

    @Override
    public boolean await(Object monitor, BooleanSupplier ready, long timeoutNanos) {
        blockedOn = monitor;
        try {
            synchronized (monitor) {
                long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
                while (!ready.getAsBoolean()) {
                    if (interrupted()) {
                        return false;
                    }
                    if (timeoutNanos < 0) {
                        monitor.wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return true;
                        }
                        monitor.wait(left / 1_000_000, (int) (left % 1_000_000));
                    }
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            blockedOn = null;
        }
    }

    @Override
    public void raiseSigpipe() {
        setInfo(Signals.SIGPIPE, SigInfo.kernel(Signals.SIGPIPE));
        pending.getAndUpdate(p -> p | Signals.bit(Signals.SIGPIPE));
    }
}
