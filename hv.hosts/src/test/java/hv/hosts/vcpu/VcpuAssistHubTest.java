package hv.hosts.vcpu;

import hv.api.device.MmioHandler;
import hv.api.platform.VcpuAssist;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.devices.queues.DeviceWorker;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device work lent to real vCPU threads running bare-metal loops ({@link VcpuAssistHub}). */
class VcpuAssistHubTest {
    private static final int WFI = 0x1050_0073;
    private static final int NOP = 0x0000_0013;
    private static final long MMIO_BASE = 0x1000_0000L;
    /** {@code lui t0, 0x10000} (t0 = MMIO_BASE), then {@code sw zero, 0(t0); j -4}: MMIO writes forever. */
    private static final int[] MMIO_WRITER = {0x1000_02b7, 0x0002_a023, TestHarts.JUMP_BACK};

    private final VcpuAssistHub hub = new VcpuAssistHub();
    private final List<VcpuThread> vcpus = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private final class HubListener extends TestHarts.StrictListener {
        @Override
        public void runDeviceWork() {
            hub.runRequested();
        }

        @Override
        public boolean deviceWorkPending() {
            return hub.pending();
        }
    }

    /** A drain that counts its runs and, while {@code flood} holds, asks for another (a full batch and more waiting). */
    private VcpuAssist.Trigger floodingDrain(AtomicBoolean flood, AtomicLong runs) {
        AtomicReference<VcpuAssist.Trigger> self = new AtomicReference<>();
        self.set(hub.register("flood", () -> {
            runs.incrementAndGet();
            if (flood.get()) {
                self.get().request();
            }
        }));
        return self.get();
    }

    /** Builds vCPUs on {@code harts}, binds the hub to them (as Machine does), then starts them. */
    private void start(Hart... harts) {
        for (Hart h : harts) {
            vcpus.add(new VcpuThread(h, new HubListener(), true));
        }
        hub.bind(vcpus);
        for (VcpuThread v : vcpus) {
            threads.add(v.start("assist-vcpu" + v.hart().hartId()));
        }
    }

    @AfterEach
    void finish() throws InterruptedException {
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Finish());
        }
        for (Thread t : threads) {
            t.join(2000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
    }

    /** A firmware-mode hart {@code id} at RAM_BASE running {@code program}, every interrupt disabled. */
    private static Hart hart(int id, int[] program, MmioHandler mmio) {
        GuestRam ram = GuestRam.allocate(TestHarts.RAM_BASE, 16 << 20);
        for (int i = 0; i < program.length; i++) {
            ram.putInt(4L * i, program[i]);
        }
        PhysicalMemory phys = new PhysicalMemory(ram);
        if (mmio != null) {
            phys.mapMmio("assist-test", MMIO_BASE, 0x1000, mmio);
        }
        Hart h = new Hart(id, new Mmu(phys, id), TestHarts.WALL_CLOCK, HartConfig.firmware());
        h.reset(TestHarts.RAM_BASE, Hart.PRIV_M);
        return h;
    }

    private static Hart idle(int id) {
        return hart(id, new int[] {WFI, TestHarts.JUMP_BACK}, null);
    }

    private static Hart busy(int id) {
        return hart(id, new int[] {NOP, TestHarts.JUMP_BACK}, null);
    }

    private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(1);
        }
    }

    private Thread threadOf(VcpuThread v) {
        return threads.get(vcpus.indexOf(v));
    }

    @Test
    void aRequestFromAnotherThreadWakesAVcpuAsleepInWfi() throws Exception {
        start(idle(0));
        VcpuThread v = vcpus.getFirst();
        await(() -> v.sleeping() && v.hart().retired > 0, 2000, "the vCPU sleeps in WFI");
        Thread.sleep(20); // well into its sleep of up to a second (every interrupt is disabled)
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicLong ranAt = new AtomicLong();
        VcpuAssist.Trigger t = hub.register("wake", () -> {
            ranOn.set(Thread.currentThread());
            ranAt.set(System.nanoTime());
        });
        long t0 = System.nanoTime();
        t.request();
        await(() -> ranOn.get() != null, 2000, "the drain ran");
        long millis = (ranAt.get() - t0) / 1_000_000;
        assertSame(threadOf(v), ranOn.get(), "the drain ran off the vCPU thread");
        assertTrue(millis < 500, "the request did not wake the vCPU (drain after " + millis + " ms; the WFI sleep is 1000)");
    }

    /** The busy vCPU's guest writes MMIO; the handler's request runs on that vCPU, not on the idle one. */
    @Test
    void aRequestMadeOnAVcpuThreadRunsOnThatThread() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        AtomicReference<VcpuAssist.Trigger> trigger = new AtomicReference<>();
        AtomicReference<Thread> requestedOn = new AtomicReference<>();
        MmioHandler device = new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public void write(long offset, int size, long value) {
                if (armed.compareAndSet(true, false)) {
                    requestedOn.set(Thread.currentThread());
                    trigger.get().request();
                }
            }
        };
        List<Thread> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        trigger.set(hub.register("mmio", () -> ranOn.add(Thread.currentThread())));
        start(hart(0, MMIO_WRITER, device), idle(1));
        VcpuThread writer = vcpus.get(0);
        VcpuThread sleeper = vcpus.get(1);
        await(() -> sleeper.sleeping() && writer.hart().retired > 1000, 2000, "one vCPU writes MMIO, the other sleeps");
        for (int round = 0; round < 20; round++) {
            int before = ranOn.size();
            armed.set(true);
            await(() -> ranOn.size() > before, 1000, "the drain ran after MMIO write " + round);
        }
        assertEquals(20, ranOn.size());
        assertSame(threadOf(writer), requestedOn.get());
        assertTrue(ranOn.stream().allMatch(t -> t == threadOf(writer)), "a drain requested on a vCPU ran elsewhere: " + ranOn);
    }

    /**
     * A drain that asks for another device's drain from its vCPU thread (woken from WFI): that runs
     * on the same thread, at once, not after the vCPU's next sleep.
     */
    @Test
    void aDrainThatRequestsAnotherRunsItOnTheSameThread() throws Exception {
        AtomicReference<Thread> firstOn = new AtomicReference<>();
        AtomicReference<Thread> secondOn = new AtomicReference<>();
        AtomicLong secondAt = new AtomicLong();
        // Registered first, so the pass that runs "first" has already looked at it.
        VcpuAssist.Trigger second = hub.register("second", () -> {
            secondOn.set(Thread.currentThread());
            secondAt.set(System.nanoTime());
        });
        VcpuAssist.Trigger first = hub.register("first", () -> {
            firstOn.set(Thread.currentThread());
            second.request();
        });
        start(idle(0), idle(1));
        await(() -> vcpus.stream().allMatch(VcpuThread::sleeping), 2000, "both vCPUs sleep in WFI");
        long t0 = System.nanoTime();
        first.request();
        await(() -> secondOn.get() != null, 2000, "the second drain ran");
        assertSame(firstOn.get(), secondOn.get(), "the second drain ran on another vCPU");
        assertTrue(threads.contains(secondOn.get()));
        assertTrue((secondAt.get() - t0) / 1_000_000 < 500, "the second drain waited for the vCPU's WFI sleep to end");
    }

    /**
     * Same as above on a vCPU that is paused (a debugger's all-stop, a snapshot before the devices
     * pause): it still lends its thread to device work, and a request made there must not wait for
     * its pause to time out (a second).
     */
    @Test
    void aDrainThatRequestsAnotherOnAPausedVcpuRunsItPromptly() throws Exception {
        AtomicReference<Thread> secondOn = new AtomicReference<>();
        AtomicLong secondAt = new AtomicLong();
        VcpuAssist.Trigger second = hub.register("second", () -> {
            secondOn.set(Thread.currentThread());
            secondAt.set(System.nanoTime());
        });
        VcpuAssist.Trigger first = hub.register("first", second::request);
        start(busy(0));
        VcpuThread v = vcpus.getFirst();
        v.send(new VcpuThread.Command.Pause());
        await(v::quiescent, 2000, "the vCPU pauses");
        Thread.sleep(20);
        long t0 = System.nanoTime();
        first.request();
        await(() -> secondOn.get() != null, 3000, "the second drain ran");
        long millis = (secondAt.get() - t0) / 1_000_000;
        assertSame(threadOf(v), secondOn.get());
        assertTrue(millis < 500, "the second drain ran only after " + millis + " ms: the paused vCPU slept on its request");
    }

    /**
     * A drain that always has more to do (a flood of frames) must not keep its vCPU from its own
     * work: between two runs the vCPU takes its commands (a pause for a snapshot, a finish).
     */
    @Test
    void aDrainThatKeepsAskingDoesNotHoldItsVcpu() throws Exception {
        AtomicBoolean flood = new AtomicBoolean(true);
        AtomicLong runs = new AtomicLong();
        VcpuAssist.Trigger trigger = floodingDrain(flood, runs);
        start(busy(0));
        VcpuThread v = vcpus.getFirst();
        try {
            trigger.request();
            await(() -> runs.get() > 100, 2000, "the drain runs");
            v.send(new VcpuThread.Command.Pause());
            await(v::quiescent, 1000, "the flooded vCPU takes its pause command");
        } finally {
            flood.set(false);
        }
    }

    /**
     * ... nor its guest: while a drain keeps asking for more, the vCPU still runs guest code between
     * its runs (short slices). A kick for a request made inside device work would end every run
     * before its first instruction.
     */
    @Test
    void aDrainThatKeepsAskingLeavesTheGuestRunning() throws Exception {
        AtomicBoolean flood = new AtomicBoolean(true);
        AtomicLong runs = new AtomicLong();
        VcpuAssist.Trigger trigger = floodingDrain(flood, runs);
        start(busy(0));
        Hart hart = vcpus.getFirst().hart();
        try {
            trigger.request();
            await(() -> runs.get() > 100, 2000, "the drain runs");
            long before = hart.retired;
            long runsBefore = runs.get();
            Thread.sleep(200);
            long executed = hart.retired - before;
            assertTrue(runs.get() - runsBefore > 20, "the drain kept running (" + (runs.get() - runsBefore) + " runs)");
            assertTrue(executed > 200_000, "the guest ran only " + executed + " instructions in 200 ms of device work");
        } finally {
            flood.set(false);
        }
    }

    /** Several threads request while 3 vCPUs (busy and idle) run drains: never two at once, no request lost. */
    @Test
    void hammeringLosesNoRequestAndNeverRunsADrainTwiceAtOnce() throws Exception {
        int drains = 3;
        List<ConcurrentLinkedQueue<Long>> queues = new ArrayList<>();
        List<VcpuAssist.Trigger> triggers = new ArrayList<>();
        AtomicInteger[] depth = new AtomicInteger[drains];
        AtomicInteger maxDepth = new AtomicInteger();
        AtomicLong processed = new AtomicLong();
        AtomicInteger offVcpu = new AtomicInteger();
        for (int d = 0; d < drains; d++) {
            ConcurrentLinkedQueue<Long> q = new ConcurrentLinkedQueue<>();
            AtomicInteger dd = depth[d] = new AtomicInteger();
            queues.add(q);
            triggers.add(hub.register("drain" + d, () -> {
                maxDepth.accumulateAndGet(dd.incrementAndGet(), Math::max);
                if (!threads.contains(Thread.currentThread())) {
                    offVcpu.incrementAndGet();
                }
                while (q.poll() != null) {
                    processed.incrementAndGet();
                }
                dd.decrementAndGet();
            }));
        }
        start(busy(0), idle(1), idle(2));
        int producers = 3;
        long perProducer = 20_000;
        AtomicLong posted = new AtomicLong();
        List<Thread> hammers = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int me = p;
            hammers.add(Thread.ofPlatform().name("hammer" + p).start(() -> {
                for (long i = 0; i < perProducer; i++) {
                    int d = (int) ((i + me) % drains);
                    queues.get(d).add(i);
                    posted.incrementAndGet();
                    triggers.get(d).request();
                    if ((i & 1023) == 0) {
                        Thread.yield();
                    }
                }
            }));
        }
        for (Thread h : hammers) {
            h.join(20_000);
        }
        assertEquals(producers * perProducer, posted.get());
        await(() -> processed.get() == posted.get(), 3000,
                "every posted item processed (" + processed.get() + " of " + posted.get() + ")");
        assertEquals(1, maxDepth.get(), "a drain ran on two threads at once");
        assertEquals(0, offVcpu.get(), "a drain ran off the vCPU threads");
    }

    /**
     * A snapshot's quiesce order with a device worker on the vCPUs under a flood of posts: the
     * vCPUs pause (the flood does not hold them), then the worker; from then on no task runs until
     * resume, and after resume every accepted task runs, all on vCPU threads.
     */
    @Test
    void aFloodedWorkerOnTheVcpusPausesAfterTheVcpusAndLosesNothing() throws Exception {
        start(busy(0), idle(1));
        DeviceWorker worker = new DeviceWorker("flood-io", 64, System.getLogger("t"), hub);
        worker.start();
        AtomicLong accepted = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        AtomicBoolean devicePaused = new AtomicBoolean();
        AtomicInteger ranWhilePaused = new AtomicInteger();
        AtomicInteger offVcpu = new AtomicInteger();
        Runnable task = () -> {
            if (devicePaused.get()) {
                ranWhilePaused.incrementAndGet();
            }
            if (!threads.contains(Thread.currentThread())) {
                offVcpu.incrementAndGet();
            }
            ran.incrementAndGet();
        };
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread flood = Thread.ofPlatform().name("flood").start(() -> {
            while (flooding.get()) {
                if (worker.post(task)) {
                    accepted.incrementAndGet();
                } else {
                    Thread.onSpinWait(); // full: the vCPUs catch up, or the worker is paused
                }
            }
        });
        try {
            await(() -> ran.get() > 10_000, 5000, "the flood runs on the vCPUs");
            for (VcpuThread v : vcpus) {
                v.send(new VcpuThread.Command.Pause());
            }
            for (VcpuThread v : vcpus) {
                await(v::quiescent, 2000, "vCPU " + v.hart().hartId() + " pauses under the flood");
            }
            assertTrue(worker.pause(), "the worker pauses");
            devicePaused.set(true);
            long before = ran.get();
            Thread.sleep(100);
            assertEquals(0, ranWhilePaused.get(), "a task ran after the worker paused");
            assertEquals(before, ran.get());
            devicePaused.set(false);
            worker.resume();
            for (VcpuThread v : vcpus) {
                v.send(new VcpuThread.Command.Resume());
            }
            await(() -> ran.get() > before + 10_000, 5000, "the flood runs again after resume");
        } finally {
            flooding.set(false);
            flood.join(5000);
        }
        await(() -> ran.get() == accepted.get(), 3000, "every accepted task ran (" + ran.get() + " of " + accepted.get() + ")");
        assertEquals(0, offVcpu.get(), "a task ran off the vCPU threads");
        worker.close();
    }
}
