package hv.devices.queues;

import hv.api.platform.VcpuAssist;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A device's backend thread: runs tasks posted from any thread (vCPUs notifying a queue, a
 * reader thread, a timer) one at a time, in order. Posting is lock-free and never blocks: a
 * JCTools MPSC array queue takes the task and the worker is unparked only if it sleeps. Blocking
 * host I/O (disk, console output) happens here, never on a vCPU.
 *
 * <p>{@link #pause()}/{@link #resume()} bracket snapshots: once pause returns, no task runs
 * (and so the device touches no guest memory) until resume; posted tasks wait in the queue.
 * A task that throws is logged (once per worker) and counted; the worker keeps going.
 *
 * <p>A worker built with a {@link VcpuAssist} has no thread: its tasks run on the VM's vCPU
 * threads, between guest instructions, one at a time and in order, saving the wake-up of a
 * device thread on every request (see VcpuAssist). Only for tasks that never block.
 */
public final class DeviceWorker implements AutoCloseable {

    private static final long PAUSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final MpscAtomicArrayQueue<Runnable> tasks;
    private final System.Logger log;
    /** The worker's own thread; null when the tasks run on vCPU threads ({@link #trigger}). */
    private final Thread thread;
    private final VcpuAssist.Trigger trigger;
    /** Vcpu-hosted: the thread running tasks right now, or null. */
    private volatile Thread runner;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean sleeping;
    private volatile boolean pauseRequested;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile boolean started;

    /**
     * @param name     thread name, e.g. {@code virtio-blk0-io}
     * @param capacity how many tasks may wait (rounded up to a power of two); coalescing
     *                 {@link Signal}s take one slot each at most
     */
    public DeviceWorker(String name, int capacity, System.Logger log) {
        this.name = name;
        this.tasks = new MpscAtomicArrayQueue<>(Math.max(capacity, 8));
        this.log = log;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        this.trigger = null;
    }

    /**
     * A worker whose tasks run on the vCPU threads {@code assist} lends (see the class comment);
     * its tasks must not block.
     */
    public DeviceWorker(String name, int capacity, System.Logger log, VcpuAssist assist) {
        this.name = name;
        this.tasks = new MpscAtomicArrayQueue<>(Math.max(capacity, 8));
        this.log = log;
        this.thread = null;
        this.trigger = assist.register(name, this::runOnVcpu);
    }

    /** True when the tasks run on vCPU threads rather than a thread of this worker's own. */
    public boolean onVcpus() {
        return thread == null;
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            if (thread != null) {
                thread.start();
            }
        }
    }

    /**
     * Queues {@code task}; lock-free, allocation-free, callable from any thread.
     *
     * @return false when the worker is not started, closed, or its queue is full (the task
     *         will not run; the caller decides, e.g. runs a reset callback itself)
     */
    public boolean post(Runnable task) {
        if (!started || closed || !tasks.offer(task)) {
            return false;
        }
        if (thread == null) {
            trigger.request();
        } else if (sleeping) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** A coalescing signal that runs {@code action} on this worker (see {@link Signal}). */
    public Signal signal(Runnable action) {
        return new Signal(this, action);
    }

    public boolean isWorkerThread() {
        Thread me = Thread.currentThread();
        return thread != null ? me == thread : me == runner;
    }

    /**
     * Stops running tasks; returns once the worker is idle (true) or after 10 s (false, a task
     * is stuck in host I/O). Called on the launcher thread, never on a vCPU.
     */
    public boolean pause() {
        pauseRequested = true;
        if (!started || isWorkerThread()) {
            return true;
        }
        if (thread == null) {
            return awaitNoRunner();
        }
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + PAUSE_TIMEOUT_NANOS;
        while (!paused && !closed) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }

    public void resume() {
        pauseRequested = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        } else if (started && !tasks.isEmpty()) {
            trigger.request();
        }
    }

    public boolean isStarted() {
        return started;
    }

    /** Tasks that threw so far. */
    public long failures() {
        return failures.get();
    }

    /** Tasks waiting (approximate). */
    public int backlog() {
        return tasks.size();
    }

    /**
     * Stops the thread once the tasks already queued have run (console output written just before a
     * poweroff, a disk write before the VM ends: nothing accepted is lost); waits up to a second.
     */
    @Override
    public void close() {
        closed = true;
        if (thread == null) {
            closeOnVcpus();
            return;
        }
        LockSupport.unpark(thread);
        if (started && !isWorkerThread()) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!closed) {
            if (pauseRequested) {
                paused = true;
                LockSupport.park(this);
                continue;
            }
            paused = false;
            Runnable task = tasks.poll();
            if (task == null) {
                sleeping = true;
                // Re-check after announcing sleep: a producer that offered before seeing
                // sleeping == true is visible here (both sides use volatile accesses).
                if (tasks.isEmpty() && !pauseRequested && !closed) {
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            runSafely(task);
        }
        // Closed: finish what was accepted before close(), bounded so a flood cannot hold us.
        Runnable task;
        for (int i = 0; i < DRAIN_LIMIT && (task = tasks.poll()) != null; i++) {
            runSafely(task);
        }
    }

    private static final int DRAIN_LIMIT = 1 << 16;
    /** Tasks run per vCPU visit: a flood of posts must not keep the guest from running. */
    private static final int VCPU_BATCH = 64;

    /**
     * The drain a vCPU thread runs when asked ({@link VcpuAssist}). {@code runner} is published
     * before the pause/close flags are read and pause/close set their flag before reading
     * {@code runner} (all volatile), so either the drain sees the flag or pause sees the runner.
     */
    private void runOnVcpu() {
        runner = Thread.currentThread();
        try {
            if (pauseRequested || closed) {
                return;
            }
            Runnable task;
            for (int i = 0; i < VCPU_BATCH && (task = tasks.poll()) != null; i++) {
                runSafely(task);
                if (pauseRequested || closed) {
                    return;
                }
            }
        } finally {
            runner = null;
        }
        if (!tasks.isEmpty()) {
            trigger.request(); // more than a batch: the vCPU gives its guest a short slice first
        }
    }

    /** Pause of a vCPU-hosted worker: waits until no vCPU is inside {@link #runOnVcpu}. */
    private boolean awaitNoRunner() {
        long deadline = System.nanoTime() + PAUSE_TIMEOUT_NANOS;
        for (int spins = 0; runner != null; spins++) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (spins < 1000) {
                Thread.onSpinWait(); // a vCPU is running one short, non-blocking batch
            } else {
                LockSupport.parkNanos(20_000); // ... or its host thread lost its core
            }
        }
        return true;
    }

    /** Close of a vCPU-hosted worker: once no vCPU runs its tasks, the caller finishes what was accepted. */
    private void closeOnVcpus() {
        if (Thread.currentThread() != runner) {
            awaitNoRunner();
        }
        Runnable task;
        for (int i = 0; i < DRAIN_LIMIT && (task = tasks.poll()) != null; i++) {
            runSafely(task);
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            if (failures.getAndIncrement() == 0) {
                log.log(System.Logger.Level.ERROR, name + ": device task failed (further failures counted, not logged)", t);
            }
        }
    }
}
