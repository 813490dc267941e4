package hv.hosts.vcpu;

import hv.api.platform.VcpuAssist;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The machine's {@link VcpuAssist}: device drains that the vCPU threads run between runs of
 * their harts ({@link #runRequested}, called by {@link VcpuThread} on every turn of its loop).
 *
 * <p>Who runs a requested drain: a request made on a vCPU thread (a guest MMIO write, e.g. a
 * virtqueue notify) kicks that vCPU's own hart, which leaves its run loop at the end of the
 * current block: no other thread is woken. A request from any other thread (a NIC backend's event
 * loop) wakes a vCPU asleep in WFI if there is one, since it has nothing better to do, else
 * kicks vCPU 0. Whoever gets there first runs it; a drain never runs on two threads at once.
 *
 * <p>Cost when nothing is requested: one volatile read per vCPU loop turn.
 */
public final class VcpuAssistHub implements VcpuAssist {
    private static final System.Logger LOG = System.getLogger("hv.hosts.vcpu");

    private volatile Registration[] registrations = new Registration[0];
    private volatile List<VcpuThread> vcpus = List.of();
    /** Some drain was requested and not yet taken by a vCPU. */
    private volatile boolean pending;

    @Override
    public synchronized Trigger register(String name, Runnable drain) {
        Registration r = new Registration(name, drain);
        Registration[] now = Arrays.copyOf(registrations, registrations.length + 1);
        now[now.length - 1] = r;
        registrations = now;
        return r;
    }

    /** The vCPUs that run the drains; set once the machine has built them. */
    public void bind(List<VcpuThread> vcpus) {
        this.vcpus = List.copyOf(vcpus);
        if (pending) {
            wakeSomeVcpu();
        }
    }

    /** Some drain is owed a run (asked for and not yet taken). */
    public boolean pending() {
        return pending;
    }

    /** On a vCPU thread, never inside its hart's run: runs every drain that was asked for. */
    public void runRequested() {
        if (!pending) {
            return;
        }
        pending = false;
        for (Registration r : registrations) {
            if (r.requested) {
                r.runIfFree();
            }
        }
    }

    private void wakeFor() {
        pending = true;
        Thread me = Thread.currentThread();
        List<VcpuThread> vs = vcpus;
        for (int i = 0; i < vs.size(); i++) {
            VcpuThread v = vs.get(i);
            if (v.runsOn(me)) {
                if (v.inDeviceWork()) {
                    // Asked from inside device work (a batch left more): no kick, which would stop
                    // the next run before its first instruction; the vCPU runs a short slice
                    // (VcpuThread.DEVICE_SLICE) because this is pending, then the work again.
                    return;
                }
                if (v.state() == VcpuThread.State.RUNNING) {
                    v.hart().kick(); // this vCPU runs it when its current block ends
                } else {
                    v.nudge(); // paused or stopped: it parks, and only an unpark cuts that short
                }
                return;
            }
        }
        wakeSomeVcpu();
    }

    private void wakeSomeVcpu() {
        List<VcpuThread> vs = vcpus;
        if (vs.isEmpty()) {
            return; // not bound yet: the first vCPU loop turn runs it
        }
        for (int i = 0; i < vs.size(); i++) {
            VcpuThread v = vs.get(i);
            if (v.sleeping() && v.state() == VcpuThread.State.RUNNING) { // idle in WFI
                v.nudge();
                return;
            }
        }
        vs.get(0).nudge();
    }

    private final class Registration implements Trigger {
        private final String name;
        private final Runnable drain;
        private final AtomicBoolean running = new AtomicBoolean();
        volatile boolean requested;
        private boolean failedOnce;

        Registration(String name, Runnable drain) {
            this.name = name;
            this.drain = drain;
        }

        @Override
        public void request() {
            requested = true;
            wakeFor();
        }

        /**
         * Runs the drain once unless another vCPU is running it. A request that arrives while it
         * runs is not lost: the runner looks at {@code requested} again after letting go and, if
         * set, asks for a run on a later turn of its loop rather than running it again at once, so
         * a drain that always has more (a flood, a full batch) never keeps its vCPU from its
         * mailbox (a pause, a finish) or its guest.
         */
        void runIfFree() {
            if (!requested || !running.compareAndSet(false, true)) {
                return;
            }
            requested = false;
            try {
                drain.run();
            } catch (RuntimeException | Error e) {
                if (!failedOnce) {
                    failedOnce = true;
                    LOG.log(System.Logger.Level.ERROR, "device work '" + name + "' failed on a vCPU thread (not logged again)", e);
                }
            } finally {
                running.set(false);
            }
            if (requested) {
                wakeFor();
            }
        }
    }
}
