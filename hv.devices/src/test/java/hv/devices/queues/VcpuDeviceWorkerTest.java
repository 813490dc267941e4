package hv.devices.queues;

import hv.devices.testing.ThreadVcpuAssist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link DeviceWorker} with no thread of its own: its tasks run on the thread a VcpuAssist lends
 * (here a test thread standing in for the vCPUs).
 */
class VcpuDeviceWorkerTest {
    private final ThreadVcpuAssist assist = new ThreadVcpuAssist("test-vcpu");
    private final DeviceWorker worker = new DeviceWorker("vcpu-worker", 256, System.getLogger("t"), assist);

    @AfterEach
    void tearDown() throws InterruptedException {
        worker.close();
        assist.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Runs a task that blocks until {@code gate} opens (a test stand-in for a long batch); returns once it runs. */
    private void occupy(CountDownLatch gate) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        assertTrue(worker.post(() -> {
            inside.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(inside.await(5, TimeUnit.SECONDS), "the blocking task never started");
    }

    @Test
    void tasksRunInOrderOnTheLentThreadOnlyAndNeverTwoAtOnce() throws Exception {
        assertTrue(worker.onVcpus());
        worker.start();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        int n = 1000;
        for (int i = 0; i < n; i++) {
            int k = i;
            Runnable task = () -> {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                threads.add(Thread.currentThread());
                seen.add(k);
                Thread.onSpinWait();
                depth.decrementAndGet();
            };
            while (!worker.post(task)) {
                Thread.onSpinWait(); // full: the vCPU thread catches up
            }
        }
        await(() -> seen.size() == n, "all tasks ran");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(1, maxDepth.get(), "a task started while another was running");
        assertTrue(threads.stream().allMatch(t -> t == assist.thread()), "a task ran off the lent thread");
    }

    /** As the thread kind: a worker takes tasks only between start and close. */
    @Test
    void postBeforeStartIsRefusedAndTheWorkerRunsOnlyWhatItAcceptedAfterStart() throws Exception {
        AtomicInteger early = new AtomicInteger();
        assertFalse(worker.post(early::incrementAndGet));
        worker.start();
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(worker.post(ran::countDown));
        assertTrue(ran.await(5, TimeUnit.SECONDS));
        assertEquals(0, early.get(), "a refused task ran");
    }

    @Test
    void aBacklogBiggerThanOneBatchIsRunInBatchesOf64WithTheVcpuAskingAgain() throws Exception {
        worker.start();
        assist.hold(); // the vCPU is busy in guest code while the backlog builds
        int n = 200;
        Map<Integer, Integer> tasksPerRun = new TreeMap<>();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            assertTrue(worker.post(() -> {
                tasksPerRun.merge(assist.drainRuns(), 1, Integer::sum); // only the lent thread writes it
                done.incrementAndGet();
            }));
        }
        long requestsFromVcpuBefore = assist.requestsFromVcpu();
        assist.release();
        await(() -> done.get() == n, "the backlog ran");
        assertTrue(tasksPerRun.values().stream().allMatch(c -> c <= 64), "more than 64 tasks in one visit: " + tasksPerRun);
        assertTrue(tasksPerRun.size() >= (n + 63) / 64, "too few visits for " + n + " tasks: " + tasksPerRun);
        assertTrue(assist.requestsFromVcpu() - requestsFromVcpuBefore >= (n + 63) / 64 - 1,
                "a full batch with more waiting must ask for another visit");
    }

    @Test
    void pauseWaitsForTheRunningTaskAndNothingRunsUntilResume() throws Exception {
        worker.start();
        CountDownLatch gate = new CountDownLatch(1);
        occupy(gate);
        AtomicBoolean pauseReturned = new AtomicBoolean();
        AtomicBoolean pauseResult = new AtomicBoolean();
        Thread pauser = Thread.ofPlatform().start(() -> {
            pauseResult.set(worker.pause());
            pauseReturned.set(true);
        });
        AtomicInteger later = new AtomicInteger();
        assertTrue(worker.post(later::incrementAndGet));
        Thread.sleep(100);
        assertFalse(pauseReturned.get(), "pause returned while a task was still running");
        gate.countDown();
        pauser.join(5000);
        assertTrue(pauseReturned.get() && pauseResult.get(), "pause did not report an idle worker");
        Thread.sleep(50);
        assertTrue(worker.post(later::incrementAndGet), "a paused worker still accepts tasks");
        Thread.sleep(50);
        assertEquals(0, later.get(), "a task ran while paused");
        worker.resume();
        await(() -> later.get() == 2, "resume ran what queued while paused");
    }

    @Test
    void closeFinishesAcceptedTasksOnTheClosingThreadAndRefusesNewOnes() throws Exception {
        worker.start();
        assist.hold(); // no vCPU gets to them
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            assertTrue(worker.post(() -> {
                threads.add(Thread.currentThread());
                seen.add(k);
            }));
        }
        worker.close();
        assertEquals(List.of(0, 1, 2, 3, 4), seen);
        assertTrue(threads.stream().allMatch(t -> t == Thread.currentThread()), "close ran them elsewhere: " + threads);
        assertFalse(worker.post(() -> seen.add(99)));
        assist.release();
        Thread.sleep(50);
        assertEquals(5, seen.size(), "a task ran after close");
    }

    /** Close while a vCPU is inside a task: it waits, then finishes the rest itself, never alongside the vCPU. */
    @Test
    void closeWaitsForTheTaskRunningOnTheVcpu() throws Exception {
        worker.start();
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger maxDepth = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        assertTrue(worker.post(() -> {
            maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
            inside.countDown();
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(0);
            depth.decrementAndGet();
        }));
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 3; i++) {
            int k = i;
            assertTrue(worker.post(() -> {
                maxDepth.accumulateAndGet(depth.incrementAndGet(), Math::max);
                seen.add(k);
                depth.decrementAndGet();
            }));
        }
        Thread closer = Thread.ofPlatform().start(worker::close);
        Thread.sleep(100);
        assertTrue(closer.isAlive(), "close returned while a vCPU was inside a task");
        gate.countDown();
        closer.join(5000);
        assertFalse(closer.isAlive());
        assertEquals(List.of(0, 1, 2, 3), seen);
        assertEquals(1, maxDepth.get(), "close ran a task alongside the vCPU");
    }

    @Test
    void isWorkerThreadHoldsOnlyInsideATask() throws Exception {
        worker.start();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean outsideOnTheSameThread = new AtomicBoolean(true);
        CountDownLatch both = new CountDownLatch(2);
        assertTrue(worker.post(() -> {
            inside.set(worker.isWorkerThread());
            both.countDown();
        }));
        // The same lent thread, running another device's drain: not this worker's task.
        ThreadVcpuAssist.Trigger other = assist.register("other", () -> {
            outsideOnTheSameThread.set(worker.isWorkerThread());
            both.countDown();
        });
        other.request();
        assertTrue(both.await(5, TimeUnit.SECONDS));
        assertTrue(inside.get(), "false inside a task");
        assertFalse(outsideOnTheSameThread.get(), "true on the lent thread outside a task");
        assertFalse(worker.isWorkerThread(), "true on the test thread");
    }

    @Test
    void aThrowingTaskIsCountedAndLaterTasksStillRun() throws Exception {
        worker.start();
        CountDownLatch after = new CountDownLatch(1);
        assertTrue(worker.post(() -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(worker.post(() -> {
            throw new IllegalStateException("boom again");
        }));
        assertTrue(worker.post(after::countDown));
        assertTrue(after.await(5, TimeUnit.SECONDS));
        assertEquals(2, worker.failures());
    }

    @Test
    void signalsCoalesceButNeverMissAChange() throws Exception {
        worker.start();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Thread> where = new AtomicReference<>();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        Signal s = worker.signal(() -> {
            runs.incrementAndGet();
            where.set(Thread.currentThread());
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
        await(() -> runs.get() == 2, "the owed run");
        CountDownLatch drained = new CountDownLatch(1);
        assertTrue(worker.post(drained::countDown));
        assertTrue(drained.await(5, TimeUnit.SECONDS));
        assertEquals(2, runs.get());
        assertEquals(0, s.lost());
        assertSame(assist.thread(), where.get());
    }
}
