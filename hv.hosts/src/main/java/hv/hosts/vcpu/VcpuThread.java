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
    /** Longest WFI sleep before re-checking the mailbox on our own (the kick normally wakes us sooner). */
    static final long MAX_WFI_NANOS = 50_000_000L;

    public enum State { STOPPED, RUNNING, PAUSED, FINISHED }

    /** Mailbox commands. */
    public sealed interface Command {
        record Start(long pc, int priv, long a0, long a1) implements Command { }
        record Pause() implements Command { }
        record Resume() implements Command { }
        record StopHart() implements Command { }
        record Finish() implements Command { }
    }

    /** Where the vCPU reports what only the VM can decide. */
    public interface Listener {
        /** Called between slices on the vCPU's own thread (HTIF polling, statistics). */
        void sliceEnded(VcpuThread vcpu);

        /** The hart hit an internal error: the VM must stop. */
        void fatal(VcpuThread vcpu, String message);

        /** A Start command (SBI HSM hart_start) took effect. */
        void started(VcpuThread vcpu);
    }

    private final Hart hart;
    private volatile Sbi sbi;
    private final Listener listener;
    private final MpscAtomicArrayQueue<Command> mailbox = new MpscAtomicArrayQueue<>(64);
    private volatile State state;
    private volatile Thread thread;
    private State beforePause = State.RUNNING;
    /** True while the thread sleeps (WFI, stopped, paused) rather than runs guest code: for samplers. */
    private volatile boolean sleeping;

    /**
     * @param sbi the built-in SBI in hypervisor mode; null in firmware mode (ecalls then trap to guest M-mode)
     */
    public VcpuThread(Hart hart, Sbi sbi, Listener listener, boolean startRunning) {
        this.hart = hart;
        this.sbi = sbi;
        this.listener = listener;
        this.state = startRunning ? State.RUNNING : State.STOPPED;
    }

    /** The built-in SBI that handles this hart's ecall exits (hypervisor mode). */
    public void attachSbi(Sbi sbi) {
        this.sbi = sbi;
    }

    public Hart hart() {
        return hart;
    }

    public State state() {
        return state;
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
        wake();
        return ok;
    }

    /** Posts, waiting for room if needed: commands must never be lost. */
    public void send(Command command) {
        while (!post(command)) {
            Thread.onSpinWait();
        }
    }

    private void wake() {
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
                switch (state) {
                    case FINISHED -> {
                        return;
                    }
                    case PAUSED, STOPPED -> {
                        sleeping = true;
                        LockSupport.parkNanos(this, MAX_WFI_NANOS);
                        sleeping = false;
                    }
                    case RUNNING -> runSlice();
                }
            }
        } catch (Throwable t) {
            state = State.FINISHED;
            listener.fatal(this, "vCPU " + hart.hartId() + ": " + t);
        }
    }

    private void drainMailbox() {
        Command c;
        while ((c = mailbox.poll()) != null) {
            switch (c) {
                case Command.Start s -> {
                    if (state == State.STOPPED) {
                        hart.reset(s.pc(), s.priv());
                        hart.x[10] = s.a0();
                        hart.x[11] = s.a1();
                        state = State.RUNNING;
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
            }
        }
    }

    private void runSlice() {
        ExitReason reason = hart.run(SLICE);
        switch (reason) {
            case ECALL -> {
                Sbi sbi = this.sbi;
                if (sbi == null) {
                    listener.fatal(this, "ecall exit without an SBI (firmware mode)");
                    return;
                }
                hart.advancePastEcall(); // SBI returns to the instruction after the ecall
                sbi.handle(hart.hartId(), hart.x);
            }
            case WFI -> {
                listener.sliceEnded(this); // a guest that signals HTIF and then idles must still be seen
                if (mailbox.isEmpty()) {
                    sleeping = true;
                    hart.awaitInterrupt(MAX_WFI_NANOS);
                    sleeping = false;
                }
            }
            case BUDGET -> listener.sliceEnded(this);
            case BREAKPOINT -> listener.fatal(this, "breakpoint exit with no debugger attached");
            case TRAP -> listener.fatal(this, "unexpected process-mode trap exit in a system VM");
            case INTERNAL_ERROR -> listener.fatal(this, "internal error in hart " + hart.hartId() + ": " + hart.internalError);
        }
    }
}
