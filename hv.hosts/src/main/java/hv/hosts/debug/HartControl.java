package hv.hosts.debug;

import hv.hosts.vcpu.VcpuThread;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * All-stop control of a machine's vCPUs for the debugger (GDB manual, "All-Stop Mode"): when one
 * hart stops (breakpoint, finished step, Ctrl-C) every hart is paused before gdb is told, and
 * resuming lets each go on as gdb asked (continue, step one instruction, or stay paused).
 *
 * <p>Harts report through {@link VcpuThread.DebugListener} on their own threads; the reports go to
 * the current session's event queue tagged with the resume round they belong to, so a report from
 * a hart that stopped while all were being paused is recognised as stale after the next resume (a
 * hart left at a breakpoint simply stops there again at once).
 */
final class HartControl implements VcpuThread.DebugListener {
    /** How long to wait for a vCPU to pause (it pauses within one slice; a stuck one is logged and skipped). */
    private static final long PAUSE_TIMEOUT_NANOS = 5_000_000_000L;
    private static final System.Logger LOG = System.getLogger("hv.gdb");

    /** What gdb asked one hart to do on resume. */
    enum Action { STAY, CONTINUE, STEP }

    private final List<VcpuThread> vcpus;
    private volatile BlockingQueue<SessionEvent> sink;
    private volatile long round;

    HartControl(List<VcpuThread> vcpus) {
        this.vcpus = List.copyOf(vcpus);
        for (VcpuThread v : this.vcpus) {
            v.attachDebugger(this);
        }
    }

    int count() {
        return vcpus.size();
    }

    VcpuThread vcpu(int hart) {
        return vcpus.get(hart);
    }

    /** Stop reports go to {@code events} from now on (null: nobody listens). */
    void reportTo(BlockingQueue<SessionEvent> events) {
        sink = events;
    }

    long round() {
        return round;
    }

    @Override
    public void debugStop(VcpuThread vcpu) {
        BlockingQueue<SessionEvent> s = sink;
        if (s != null) {
            s.add(new SessionEvent.HartStopped(vcpu.hart().hartId(), round));
        }
    }

    /** Before the vCPU threads start: they begin paused (QEMU's -S). */
    void holdAtStart() {
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Pause());
        }
    }

    /**
     * Pauses every vCPU and waits until none executes guest code any more; false if one did not
     * pause in time (its registers are then not to be trusted; logged).
     */
    boolean stopAll() {
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Pause());
        }
        long deadline = System.nanoTime() + PAUSE_TIMEOUT_NANOS;
        boolean all = true;
        for (VcpuThread v : vcpus) {
            while (!halted(v)) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.log(System.Logger.Level.WARNING, "gdb: vCPU " + v.hart().hartId() + " did not pause");
                    all = false;
                    break;
                }
                LockSupport.parkNanos(100_000);
            }
        }
        return all;
    }

    private static boolean halted(VcpuThread v) {
        VcpuThread.State s = v.state();
        return s == VcpuThread.State.PAUSED || s == VcpuThread.State.FINISHED;
    }

    /** Starts a new round: each hart does what {@code actions} (indexed by hart) says. */
    void resume(Action[] actions) {
        round++;
        for (int i = 0; i < vcpus.size(); i++) {
            switch (actions[i]) {
                case CONTINUE -> vcpus.get(i).send(new VcpuThread.Command.Resume());
                case STEP -> vcpus.get(i).send(new VcpuThread.Command.Step());
                case STAY -> {
                }
            }
        }
    }

    /** The debugger is gone: every hart runs on and stop reports go nowhere. */
    void release() {
        sink = null;
        round++;
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Resume());
        }
    }
}
