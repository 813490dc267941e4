package hv.hosts.vcpu;

import hv.cpu.ExitReason;
import hv.cpu.Hart;
import hv.hosts.sbi.Sbi;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

import java.util.concurrent.locks.LockSupport;

/**
 * One vCPU: a host thread that runs one hart and handles its exits, KVM-style. State machine:
 * {@code STOPPED} (SBI HSM: not started yet, or hart_stop) → {@code RUNNING} ⇄ {@code PAUSED}
 * → {@code FINISHED}. Other threads talk to it only through its mailbox ({@link #post}); a post
 * kicks the hart out of its run loop or its WFI sleep, so commands take effect within one slice.
 */
public final class VcpuThread implements Runnable {

    /** Instructions per slice: small enough that pause/stop and HTIF polling are prompt (~ms). */
    static final long SLICE = 2_000_000;
    /**
     * The slice while device work lent to the vCPUs is still owed (a batch left more behind): long
     * enough for the guest to make progress, short enough that the work goes on within ~0.1-1 ms.
     */
    static final long DEVICE_SLICE = 50_000;
    /**
     * Longest sleep in WFI (or stopped/paused) before the thread looks around on its own. Nothing
     * needs that look to be frequent: a mailbox post kicks us, interrupts unpark us, and the WFI
     * sleep already ends at the hart's next timer deadline. Idle Linux harts sleep ~1 s between
     * timer events (NO_HZ), so a short cap would only add wakeups (with 50 ms, 20 of the ~24
     * wakeups per second of each idle vCPU thread were these). A listener that polls guest memory
     * between slices (HTIF) asks for a shorter cap through {@link Listener#maxSleepNanos()}.
     */
    public static final long MAX_SLEEP_NANOS = 1_000_000_000L;

    public enum State { STOPPED, RUNNING, PAUSED, FINISHED }

    /** Mailbox commands. */
    public sealed interface Command {
        record Start(long pc, int priv, long a0, long a1) implements Command { }
        record Pause() implements Command { }
        record Resume() implements Command { }
        record StopHart() implements Command { }
        record Finish() implements Command { }
        /** A debugger's single step (hv.hosts.debug): a PAUSED hart runs one instruction and stays PAUSED. */
        record Step() implements Command { }
    }

    /** A debugger attached to this vCPU (see {@link #attachDebugger}). */
    public interface DebugListener {
        /**
         * The hart stopped for the debugger (a breakpoint, or a {@link Command.Step} done; a stopped
         * hart that cannot step reports at once). Called on the vCPU's thread; the vCPU is PAUSED
         * right after (resume it with {@link Command.Resume}).
         */
        void debugStop(VcpuThread vcpu);
    }

    /** Where the vCPU reports what only the VM can decide. */
    public interface Listener {
        /** Called between slices on the vCPU's own thread (HTIF polling, statistics). */
        void sliceEnded(VcpuThread vcpu);

        /** The hart hit an internal error: the VM must stop. */
        void fatal(VcpuThread vcpu, String message);

        /** A Start command (SBI HSM hart_start) took effect. */
        void started(VcpuThread vcpu);

        /**
         * The longest the vCPU may sleep in WFI before {@link #sliceEnded} runs again: shorten it
         * when sliceEnded polls something that does not wake the vCPU by itself.
         */
        default long maxSleepNanos() {
            return MAX_SLEEP_NANOS;
        }

        /**
         * How to wait after a PAUSE exit (the guest spins on a lock or flag another vCPU will
         * release): 0 yields the host thread ({@link Thread#yield}); a positive value parks it that
         * many nanoseconds, which gives a preempted lock holder the core even when every other
         * host thread is a spinning vCPU (sched_yield alone may pick another spinner).
         */
        default long pauseParkNanos() {
            return 0;
        }

        /**
         * Called on the vCPU's thread at every turn of its loop, outside the hart's run: device work
         * lent to the vCPUs ({@link VcpuAssistHub#runRequested}). Must be cheap when there is none.
         */
        default void runDeviceWork() {
        }

        /** Device work is still owed after {@link #runDeviceWork} (it asked for more). */
        default boolean deviceWorkPending() {
            return false;
        }
    }

    private final Hart hart;
    private volatile Sbi sbi;
    private final Listener listener;
    private final MpscAtomicArrayQueue<Command> mailbox = new MpscAtomicArrayQueue<>(64);
    private volatile State state;
    private volatile Thread thread;
    private volatile State beforePause = State.RUNNING;
    /** True while the thread takes commands out of its mailbox (see {@link #quiescent()}). */
    private volatile boolean draining;
    /** True while the thread sleeps (WFI, stopped, paused) rather than runs guest code: for samplers. */
    private volatile boolean sleeping;
    /** See {@link #inDeviceWork()}; written and read on the vCPU's own thread only. */
    private boolean inDeviceWork;
    /** The debugger told about breakpoint and step stops, or null. */
    private volatile DebugListener debugger;

    /** In hypervisor mode the built-in SBI is attached with {@link #attachSbi}; without it ecalls trap to guest M-mode. */
    public VcpuThread(Hart hart, Listener listener, boolean startRunning) {
        this.hart = hart;
        this.listener = listener;
        this.state = startRunning ? State.RUNNING : State.STOPPED;
    }

    /**
     * Sets whether the hart starts running or waits for SBI HSM hart_start; only before
     * {@link #start}: a migrated machine learns its harts' states at the end of the stream.
     */
    public void presetRunning(boolean running) {
        if (thread != null) {
            throw new IllegalStateException("vCPU " + hart.hartId() + " already started");
        }
        state = running ? State.RUNNING : State.STOPPED;
    }

    /** The built-in SBI that handles this hart's ecall exits (hypervisor mode). */
    public void attachSbi(Sbi sbi) {
        this.sbi = sbi;
    }

    /** Reports this vCPU's debug stops to {@code listener} (null: none; a DEBUG exit is then fatal). */
    public void attachDebugger(DebugListener listener) {
        this.debugger = listener;
    }

    public Hart hart() {
        return hart;
    }

    public State state() {
        return state;
    }

    /**
     * The state a paused vCPU returns to on Resume (RUNNING, or STOPPED for a hart that SBI HSM
     * has not started): what a snapshot records. Meaningful only once {@link #state()} is PAUSED.
     */
    public State resumeState() {
        return state == State.PAUSED ? beforePause : state;
    }

    /**
     * Paused with nothing left to do: no command waiting or being applied. A hart's SBI call
     * (hart_start) posts to another vCPU before its own pause is seen, so once every vCPU is
     * paused, this settles for good. Reads the mailbox before {@code draining}: a command taken
     * out but not yet applied still shows as draining.
     */
    public boolean quiescent() {
        return state == State.PAUSED && mailbox.isEmpty() && !draining;
    }

    /** Whether the thread is asleep (WFI or not running) rather than executing guest code (diagnostics). */
    public boolean sleeping() {
        return sleeping;
    }

    public Thread start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
        return t;
    }

    /** Sends a command; safe from any thread. Returns false if the mailbox is full (caller retries). */
    public boolean post(Command command) {
        boolean ok = mailbox.offer(command);
        nudge();
        return ok;
    }

    /** Posts, waiting for room if needed: commands must never be lost. */
    public void send(Command command) {
        while (!post(command)) {
            Thread.onSpinWait();
        }
    }

    /**
     * True while this vCPU's thread runs lent device work (between runs of its hart). Read only
     * on this vCPU's own thread: a request made from inside that work needs no kick.
     */
    public boolean inDeviceWork() {
        return inDeviceWork;
    }

    /** True when this vCPU's thread is {@code t}. */
    public boolean runsOn(Thread t) {
        return thread == t;
    }

    /** Wakes the thread from WFI or a park (or ends its hart's run at the next block boundary). Any thread. */
    public void nudge() {
        hart.kick();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public void join() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join();
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                drainMailbox();
                inDeviceWork = true;
                listener.runDeviceWork();
                inDeviceWork = false;
                switch (state) {
                    case FINISHED -> {
                        return;
                    }
                    case PAUSED, STOPPED -> {
                        if (!listener.deviceWorkPending()) { // owed device work runs at the next turn
                            sleeping = true;
                            LockSupport.parkNanos(this, MAX_SLEEP_NANOS);
                            sleeping = false;
                        }
                    }
                    case RUNNING -> runSlice(listener.deviceWorkPending() ? DEVICE_SLICE : SLICE);
                }
            }
        } catch (Throwable t) {
            state = State.FINISHED;
            listener.fatal(this, "vCPU " + hart.hartId() + ": " + t);
        }
    }

    private void drainMailbox() {
        draining = true;
        try {
            drainCommands();
        } finally {
            draining = false;
        }
    }

    private void drainCommands() {
        Command c;
        while ((c = mailbox.poll()) != null) {
            switch (c) {
                case Command.Start s -> {
                    // A start that arrives while paused (a snapshot pauses harts one by one) still
                    // takes effect: the hart runs once resumed, as if it had started just before.
                    boolean pausedStopped = state == State.PAUSED && beforePause == State.STOPPED;
                    if (state == State.STOPPED || pausedStopped) {
                        hart.reset(s.pc(), s.priv());
                        hart.x[10] = s.a0();
                        hart.x[11] = s.a1();
                        if (pausedStopped) {
                            beforePause = State.RUNNING;
                        } else {
                            state = State.RUNNING;
                        }
                        listener.started(this);
                    }
                }
                case Command.Pause p -> {
                    if (state == State.RUNNING || state == State.STOPPED) {
                        beforePause = state;
                        state = State.PAUSED;
                    }
                }
                case Command.Resume r -> {
                    if (state == State.PAUSED) {
                        state = beforePause;
                    }
                }
                case Command.StopHart s -> {
                    if (state == State.RUNNING) {
                        state = State.STOPPED;
                    }
                }
                case Command.Finish f -> state = State.FINISHED;
                case Command.Step s -> step();
            }
        }
    }

    private void runSlice(long budget) {
        ExitReason reason = hart.run(budget);
        switch (reason) {
            case ECALL -> ecall();
            case WFI -> {
                listener.sliceEnded(this); // a guest that signals HTIF and then idles must still be seen
                if (mailbox.isEmpty() && !listener.deviceWorkPending()) {
                    sleeping = true;
                    hart.awaitInterrupt(listener.maxSleepNanos());
                    sleeping = false;
                }
            }
            case PAUSE -> spinWait();
            case BUDGET -> listener.sliceEnded(this);
            case BREAKPOINT -> listener.fatal(this, "breakpoint exit with no debugger attached");
            case DEBUG -> debugStopped();
            case TRAP -> listener.fatal(this, "unexpected process-mode trap exit in a system VM");
            case INTERNAL_ERROR -> listener.fatal(this, "internal error in hart " + hart.hartId() + ": " + hart.internalError);
        }
    }

    private void ecall() {
        Sbi sbi = this.sbi;
        if (sbi == null) {
            listener.fatal(this, "ecall exit without an SBI (firmware mode)");
            return;
        }
        hart.advancePastEcall(); // SBI returns to the instruction after the ecall
        sbi.handle(hart.hartId(), hart.x);
    }

    /** A breakpoint (or a step) stopped the hart: tell the debugger first, then pause (all-stop is its call). */
    private void debugStopped() {
        DebugListener d = debugger;
        if (d == null) {
            listener.fatal(this, "debug exit with no debugger attached");
            return;
        }
        d.debugStop(this);
        beforePause = State.RUNNING;
        state = State.PAUSED;
    }

    /**
     * One instruction for the debugger, only while PAUSED from RUNNING (a hart that SBI HSM has
     * not started has nothing to step: it reports at once). Exits a step can end with are handled
     * as in {@link #runSlice} (an ecall completes through the SBI; WFI and PAUSE just end the step).
     */
    private void step() {
        DebugListener d = debugger;
        if (state == State.PAUSED && beforePause == State.RUNNING) {
            switch (hart.step()) {
                case ECALL -> ecall();
                case TRAP -> listener.fatal(this, "unexpected process-mode trap exit in a system VM");
                case INTERNAL_ERROR -> listener.fatal(this, "internal error in hart " + hart.hartId() + ": " + hart.internalError);
                default -> {
                }
            }
        }
        if (d != null) {
            d.debugStop(this);
        }
    }

    /**
     * The guest executed PAUSE (Linux's cpu_relax() in a spin-wait loop): it waits for another
     * vCPU, which may be a host thread that is not running right now (lock-holder preemption), so
     * give the host core away instead of burning the rest of our time slice. The next run() starts
     * with a full boundary check, so a spinning hart still takes its timer interrupts.
     */
    private void spinWait() {
        long park = listener.pauseParkNanos();
        if (park > 0) {
            LockSupport.parkNanos(this, park);
        } else {
            Thread.yield();
        }
    }
}
