package hv.devices.testing;

import hv.api.platform.VcpuAssist;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link VcpuAssist} for device tests: one test thread stands in for the VM's vCPUs and runs
 * the requested drains, one at a time (what the machine's hub guarantees). A request from that
 * thread (a drain asking again) is picked up on its next turn without a wake-up, as a vCPU's
 * own kick is; a request from any other thread unparks it. {@link #hold()} keeps it from running
 * drains (a vCPU busy in guest code), so tests can build a backlog.
 */
public final class ThreadVcpuAssist implements VcpuAssist, AutoCloseable {
    private final Thread vcpu;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong requestsFromVcpu = new AtomicLong();
    private final AtomicInteger drainRuns = new AtomicInteger();
    private volatile boolean held;
    private volatile boolean closed;

    public ThreadVcpuAssist(String name) {
        vcpu = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        vcpu.start();
    }

    @Override
    public Trigger register(String name, Runnable drain) {
        Registration r = new Registration(drain);
        registrations.add(r);
        return r;
    }

    /** The thread that plays the vCPU. */
    public Thread thread() {
        return vcpu;
    }

    /** Stops running drains until {@link #release()}; requests are kept. */
    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
        LockSupport.unpark(vcpu);
    }

    /** Requests so far, from any thread. */
    public long requests() {
        return requests.get();
    }

    /** Requests made on the vCPU thread itself (a drain asking to run again). */
    public long requestsFromVcpu() {
        return requestsFromVcpu.get();
    }

    /** Drain runs started so far; inside a drain, the number of the run in progress. */
    public int drainRuns() {
        return drainRuns.get();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(vcpu);
        vcpu.join(5000);
    }

    private void loop() {
        while (!closed) {
            boolean ran = false;
            if (!held) {
                for (Registration r : registrations) {
                    if (r.requested.getAndSet(false)) {
                        drainRuns.incrementAndGet();
                        r.drain.run();
                        ran = true;
                    }
                }
            }
            if (!ran) {
                // A request unparks us; the bound is only a safety net for a test gone wrong.
                LockSupport.parkNanos(this, 100_000_000L);
            }
        }
    }

    private final class Registration implements Trigger {
        final Runnable drain;
        final AtomicBoolean requested = new AtomicBoolean();

        Registration(Runnable drain) {
            this.drain = drain;
        }

        @Override
        public void request() {
            requested.set(true);
            requests.incrementAndGet();
            if (Thread.currentThread() == vcpu) {
                requestsFromVcpu.incrementAndGet();
            } else {
                LockSupport.unpark(vcpu);
            }
        }
    }
}
