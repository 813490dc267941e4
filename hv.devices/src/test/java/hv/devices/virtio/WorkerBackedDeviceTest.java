package hv.devices.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.api.device.GuestMemory;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared worker lifecycle: reset waits for work in flight, close stops the worker before the backend. */
class WorkerBackedDeviceTest {

    /** A device whose queue work blocks until released, recording what happens in which order. */
    static final class SlowDevice extends WorkerBackedDevice {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch workStarted = new CountDownLatch(1);
        final CountDownLatch releaseWork = new CountDownLatch(1);
        Signal work;

        SlowDevice() {
            super("test", 4);
        }

        @Override
        protected void attachWorker(DeviceWorker worker) {
            work = worker.signal(() -> {
                workStarted.countDown();
                try {
                    releaseWork.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                events.add("work done");
            });
        }

        @Override
        protected void closeBackend() {
            events.add("backend closed, worker alive=" + (workerThreadAlive()));
        }

        boolean workerThreadAlive() {
            return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dev0-test") && t.isAlive());
        }

        @Override public int deviceId() { return 99; }
        @Override public long deviceFeatures() { return 0; }
        @Override public int queueCount() { return 1; }
        @Override public int queueMaxSize(int index) { return 8; }
        @Override public int configSize() { return 0; }
        @Override public long readConfig(int offset, int size) { return 0; }
        @Override public void activate(long negotiatedFeatures) { }
        @Override public void queueNotified(int index) { work.raise(); }
    }

    private static VirtioContext context() {
        return new VirtioContext() {
            @Override public Virtqueue queue(int index) { throw new UnsupportedOperationException(); }
            @Override public long negotiatedFeatures() { return 0; }
            @Override public void configChanged() { }
            @Override public void needsReset(VirtioError kind, String detail) { }
            @Override public VirtioErrors errors() { throw new UnsupportedOperationException(); }
            @Override public GuestMemory memory() { throw new UnsupportedOperationException(); }
            @Override public String name() { return "dev0"; }
            @Override public System.Logger logger() { return System.getLogger("test"); }
        };
    }

    @Test
    void resetCompletesOnlyAfterTheWorkInFlight() throws Exception {
        SlowDevice device = new SlowDevice();
        device.attach(context());
        device.start();
        try {
            device.queueNotified(0);
            assertTrue(device.workStarted.await(5, TimeUnit.SECONDS));
            CountDownLatch resetDone = new CountDownLatch(1);
            device.reset(() -> {
                device.events.add("reset done");
                resetDone.countDown();
            });
            assertEquals(1, resetDone.getCount(), "reset completed while the worker was still using the queue");
            device.releaseWork.countDown();
            assertTrue(resetDone.await(5, TimeUnit.SECONDS));
            assertEquals(List.of("work done", "reset done"), device.events);
        } finally {
            device.releaseWork.countDown();
            device.close();
        }
    }

    @Test
    void resetOfADeviceWhoseWorkerNeverStartedCompletesAtOnce() {
        SlowDevice device = new SlowDevice();
        device.attach(context());
        boolean[] done = {false};
        device.reset(() -> done[0] = true);
        assertTrue(done[0]);
        device.close();
    }

    @Test
    void closeStopsTheWorkerBeforeTheBackend() {
        SlowDevice device = new SlowDevice();
        device.attach(context());
        device.start();
        device.close();
        assertEquals(List.of("backend closed, worker alive=false"), device.events);
    }
}
