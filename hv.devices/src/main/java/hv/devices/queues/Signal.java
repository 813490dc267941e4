package hv.devices.queues;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * "Something changed, go look": raising it any number of times before the worker gets to it
 * runs the action once. The action runs on the worker; a raise that arrives while the action is
 * running schedules one more run, so no change is ever missed. Raising is lock-free and does
 * not allocate, so a vCPU can raise it from an MMIO write (e.g. a virtqueue notify).
 */
public final class Signal {

    private final DeviceWorker worker;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final AtomicLong lost = new AtomicLong();
    private final Runnable task;

    Signal(DeviceWorker worker, Runnable action) {
        this.worker = worker;
        this.task = () -> {
            queued.set(false); // before the action: a raise during it queues another run
            action.run();
        };
    }

    public void raise() {
        if (queued.compareAndSet(false, true) && !worker.post(task)) {
            queued.set(false);
            lost.incrementAndGet(); // worker closed or its queue full of other tasks
        }
    }

    /** Raises that could not be queued (the worker was closed or full). */
    public long lost() {
        return lost.get();
    }
}
