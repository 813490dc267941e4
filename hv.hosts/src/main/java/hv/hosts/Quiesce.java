package hv.hosts;

import hv.api.device.Device;
import hv.devices.platform.MachineClock;
import hv.hosts.vcpu.VcpuThread;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Brings a running machine to a standstill and back, for snapshots, migration and the control
 * API's pause: first every vCPU (each stops at an instruction boundary between slices, its
 * mailbox drained), then every device (a device's pause returns once its worker is idle, so no
 * DMA or interrupt is in flight), then the guest clock (time must not jump across a snapshot).
 * Resume runs the same steps backwards.
 */
final class Quiesce {
    private static final long VCPU_TIMEOUT_NANOS = 10_000_000_000L;

    private final List<VcpuThread> vcpus;
    private final MachineDevices devices;
    private final MachineClock clock;
    private final VmLifecycle lifecycle;
    private boolean paused;

    Quiesce(List<VcpuThread> vcpus, MachineDevices devices, MachineClock clock, VmLifecycle lifecycle) {
        this.vcpus = vcpus;
        this.devices = devices;
        this.clock = clock;
        this.lifecycle = lifecycle;
    }

    synchronized boolean paused() {
        return paused;
    }

    synchronized void pause() throws VmStateException {
        if (paused) {
            throw new VmStateException("the VM is already paused");
        }
        if (lifecycle.ended()) {
            throw new VmStateException("the VM has ended");
        }
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Pause());
        }
        long deadline = System.nanoTime() + VCPU_TIMEOUT_NANOS;
        for (VcpuThread v : vcpus) {
            while (!v.quiescent()) {
                if (v.state() == VcpuThread.State.FINISHED || lifecycle.ended()) {
                    resumeVcpus();
                    throw new VmStateException("the VM ended while pausing");
                }
                if (System.nanoTime() - deadline > 0) {
                    resumeVcpus();
                    throw new VmStateException("vCPU " + v.hart().hartId() + " did not pause within 10 s");
                }
                LockSupport.parkNanos(50_000);
            }
        }
        // A hart_start posted by a hart that paused after its target is applied by now (quiescent).
        for (VcpuThread v : vcpus) {
            while (!v.quiescent() && v.state() != VcpuThread.State.FINISHED) {
                LockSupport.parkNanos(50_000);
            }
        }
        for (MachineDevices.Placed p : devices.placed()) {
            p.device().pause();
        }
        clock.pause();
        paused = true;
    }

    synchronized void resume() {
        if (!paused) {
            return;
        }
        clock.resume();
        for (MachineDevices.Placed p : devices.placed()) {
            Device d = p.device();
            d.resume();
        }
        resumeVcpus();
        paused = false;
    }

    private void resumeVcpus() {
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Resume());
        }
    }
}
