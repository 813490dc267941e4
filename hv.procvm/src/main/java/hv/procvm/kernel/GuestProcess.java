package hv.procvm.kernel;

import hv.procvm.fs.FdTable;
import hv.procvm.mem.AddressSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A guest process: an address space, a file descriptor table, a cwd, signal dispositions and
 * one or more {@link GuestThread}s. Parent/child links, zombies and wait statuses are guarded by
 * the kernel's process-tree lock ({@link Kernel#tree}).
 */
final class GuestProcess {
    final Kernel kernel;
    final int pid;

    // --- process tree (guarded by kernel.tree)
    GuestProcess parent;
    final List<GuestProcess> children = new ArrayList<>();
    int pgid;
    int sid;
    boolean zombie;
    int waitStatus;
    /** The signal the parent gets when this process ends (clone's CSIGNAL bits; SIGCHLD after fork). */
    int exitSignal = Signals.SIGCHLD;
    /** The process has called execve since fork (setpgid on it from its parent is then EACCES). */
    boolean execed;

    // --- resources
    volatile AddressSpace as;
    /** True while the address space is borrowed from the parent (vfork, CLONE_VM): never destroy it. */
    volatile boolean borrowedMm;
    /** Counted down when a vfork child execs or exits, releasing its parent. */
    volatile CountDownLatch vforkDone;
    volatile FdTable fds;
    volatile String cwd;
    volatile int umask = 022;
    volatile String exeGuestPath;
    volatile Path exeHostPath;
    volatile String comm = "";
    /** argv of the running image, NUL-separated (/proc/self/cmdline). */
    volatile byte[] cmdline = new byte[0];
    final long startNanos = System.nanoTime();

    // --- signals
    private final SigAction[] actions = new SigAction[Signals.NSIG + 1];
    final AtomicLong sharedPending = new AtomicLong();
    private final SigInfo[] sharedInfo = new SigInfo[Signals.NSIG + 1];

    // --- threads and exit
    final List<GuestThread> threads = new CopyOnWriteArrayList<>();
    volatile boolean exiting;
    private int pendingExitStatus;
    /** ITIMER_REAL (guarded by this process's monitor). */
    java.util.concurrent.ScheduledFuture<?> alarm;
    long alarmIntervalMicros;
    /** Set once the process's resources are released (guarded by this process's monitor). */
    boolean finished;
    /** rlimits: [resource][0 = cur, 1 = max]; only stored and reported back. */
    final long[][] rlimits = new long[16][];

    GuestProcess(Kernel kernel, int pid) {
        this.kernel = kernel;
        this.pid = pid;
        this.pgid = pid;
        this.sid = pid;
        java.util.Arrays.fill(actions, SigAction.DEFAULT);
        for (int i = 0; i < rlimits.length; i++) {
            rlimits[i] = new long[] {-1, -1};
        }
        rlimits[Rlimits.STACK] = new long[] {8L << 20, -1};
        rlimits[Rlimits.NOFILE] = new long[] {FdTable.MAX_FDS, FdTable.MAX_FDS};
        rlimits[Rlimits.NPROC] = new long[] {4096, 4096};
    }

    SigAction action(int sig) {
        synchronized (actions) {
            return actions[sig];
        }
    }

    void setAction(int sig, SigAction a) {
        synchronized (actions) {
            actions[sig] = a;
        }
    }

    /** fork: the child inherits the dispositions. */
    void copyActionsFrom(GuestProcess other) {
        synchronized (other.actions) {
            synchronized (actions) {
                System.arraycopy(other.actions, 0, actions, 0, actions.length);
            }
        }
    }

    /** execve: caught signals revert to the default; ignored ones stay ignored (execve(2)). */
    void resetCaughtActions() {
        synchronized (actions) {
            for (int i = 1; i < actions.length; i++) {
                if (actions[i].handler() != Signals.SIG_IGN) {
                    actions[i] = SigAction.DEFAULT;
                }
            }
        }
    }

    /** Whether a signal would be discarded on arrival (ignored explicitly or by default). */
    boolean ignores(int sig) {
        SigAction a = action(sig);
        return a.handler() == Signals.SIG_IGN || (a.handler() == Signals.SIG_DFL && Signals.defaultIgnored(sig));
    }

    synchronized void setSharedInfo(int sig, SigInfo info) {
        sharedInfo[sig] = info;
    }

    synchronized SigInfo takeSharedInfo(int sig) {
        SigInfo i = sharedInfo[sig];
        sharedInfo[sig] = null;
        return i;
    }

    /** Marks the process as exiting with a wait status; false if it already was. */
    synchronized boolean beginExit(int status) {
        if (exiting) {
            return false;
        }
        pendingExitStatus = status;
        exiting = true;
        return true;
    }

    synchronized int pendingExitStatus() {
        return pendingExitStatus;
    }

    GuestThread mainThread() {
        return threads.isEmpty() ? null : threads.get(0);
    }
}
