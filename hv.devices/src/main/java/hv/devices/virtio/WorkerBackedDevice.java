package hv.devices.virtio;

import hv.devices.queues.DeviceWorker;

/**
 * The lifecycle shared by virtio devices that do all their queue work on one {@link DeviceWorker}:
 * the worker is made at {@link #attach}, started with the machine, paused and resumed with it, and
 * closed last. A reset is posted to the worker so that {@code done} runs only after whatever the
 * worker was doing with the queues has finished (virtio 1.2 section 2.4: the driver may reuse the
 * rings once it reads status 0). Subclasses create their signals in {@link #attachWorker} and keep
 * their own host resources, released in {@link #closeBackend}.
 */
public abstract class WorkerBackedDevice implements VirtioDevice {
    private final String threadSuffix;
    private final int taskCapacity;
    /** The transport's services; set once by {@link #attach}. */
    protected VirtioContext virtio;
    /** The device's one worker thread; set once by {@link #attach}. */
    protected DeviceWorker worker;

    /**
     * @param threadSuffix the worker thread is named after the device instance plus this suffix
     * @param taskCapacity how many one-off tasks (resets, activations) may wait on the worker
     */
    protected WorkerBackedDevice(String threadSuffix, int taskCapacity) {
        this.threadSuffix = threadSuffix;
        this.taskCapacity = taskCapacity;
    }

    @Override
    public final void attach(VirtioContext context) {
        this.virtio = context;
        this.worker = new DeviceWorker(context.name() + "-" + threadSuffix, taskCapacity, context.logger());
        attachWorker(worker);
    }

    /** Called once from {@link #attach}: create the worker's signals here. */
    protected abstract void attachWorker(DeviceWorker worker);

    @Override
    public void start() {
        worker.start();
    }

    @Override
    public void reset(Runnable done) {
        if (!worker.post(done)) {
            done.run(); // the worker is not running: no thread of the device touches the queues
        }
    }

    @Override
    public void pause() {
        worker.pause();
    }

    @Override
    public void resume() {
        worker.resume();
    }

    @Override
    public final void close() {
        try {
            worker.close(); // first: no queue work may be in flight while the backend goes away
        } finally {
            closeBackend();
        }
    }

    /** Releases the device's own host resources (files, reader threads); must not throw. */
    protected void closeBackend() {
    }
}
