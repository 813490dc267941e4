package hv.devices.queues;

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
 */
public final class DeviceWorker implements AutoCloseable {

    private static final long PAUSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final MpscAtomicArrayQueue<Runnable> tasks;
    private final System.Logger log;
    private final Thread thread;
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
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        if (!started && !closed) {
            started = true;
            thread.start();
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
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** A coalescing signal that runs {@code action} on this worker (see {@link Signal}). */
    public Signal signal(Runnable action) {
        return new Signal(this, action);
    }

    public boolean isWorkerThread() {
        return Thread.currentThread() == thread;
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
        LockSupport.unpark(thread);
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
