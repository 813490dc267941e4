package hv.devices.queues;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceWorkerTest {

    private final DeviceWorker worker = new DeviceWorker("test-worker", 8, System.getLogger("t"));

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void tasksRunInOrderOnTheWorkerThread() throws Exception {
        worker.start();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertTrue(worker.post(() -> {
                assertTrue(worker.isWorkerThread());
                seen.add(n);
            }));
        }
        worker.post(done::countDown);
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    /** Console output queued just before a poweroff must still reach the host. */
    @Test
    void closeRunsTheTasksAlreadyQueued() throws Exception {
        worker.start();
        CountDownLatch gate = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        assertTrue(worker.post(() -> {
            try {
                gate.await(5, TimeUnit.SECONDS); // keeps the worker busy while more tasks queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertTrue(worker.post(() -> seen.add(n)));
        }
        Thread closer = new Thread(worker::close);
        closer.start();
        Thread.sleep(50);
        gate.countDown();
        closer.join(5000);
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
    }

    @Test
    void postIsRefusedBeforeStartAndAfterClose() {
        assertFalse(worker.post(() -> { }));
        worker.start();
        worker.close();
        assertFalse(worker.post(() -> { }));
    }

    @Test
    void aThrowingTaskIsCountedAndTheWorkerCarriesOn() throws Exception {
        worker.start();
        CountDownLatch after = new CountDownLatch(1);
        worker.post(() -> {
            throw new IllegalStateException("boom");
        });
        worker.post(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(1, worker.failures());
    }

    @Test
    void signalsCoalesceButNeverMissAChange() throws Exception {
        worker.start();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        Signal s = worker.signal(() -> {
            runs.incrementAndGet();
            inside.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.raise();
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++) {
            s.raise(); // while the action runs: exactly one more run is owed
        }
        gate.countDown();
        CountDownLatch drained = new CountDownLatch(1);
        Thread.sleep(50);
        worker.post(drained::countDown);
        assertTrue(drained.await(5, TimeUnit.SECONDS));
        assertEquals(2, runs.get());
        assertEquals(0, s.lost());
    }

    @Test
    void pauseStopsTasksUntilResume() throws Exception {
        worker.start();
        assertTrue(worker.pause());
        AtomicInteger ran = new AtomicInteger();
        worker.post(ran::incrementAndGet);
        Thread.sleep(50);
        assertEquals(0, ran.get(), "nothing runs while paused");
        worker.resume();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ran.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, ran.get());
    }

    @Test
    void manyProducersLoseNothing() throws Exception {
        DeviceWorker big = new DeviceWorker("big", 1 << 16, System.getLogger("t"));
        big.start();
        try {
            AtomicInteger count = new AtomicInteger();
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        while (!big.post(count::incrementAndGet)) {
                            Thread.onSpinWait();
                        }
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (count.get() < 40_000 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(40_000, count.get());
        } finally {
            big.close();
        }
    }
}
