package hv.hosts;

import hv.api.device.HostConsole;
import hv.api.platform.HartLink;
import hv.cpu.Hart;
import hv.hosts.sbi.Sbi;
import hv.hosts.sbi.SbiPlatform;
import hv.hosts.vcpu.VcpuThread;
import hv.memory.GuestRam;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The machine seen by HV's SBI: timers and IPIs go to the harts' interrupt bits, remote fences to
 * their TLBs and decode caches (applied at the target's next block boundary; the SBI call waits
 * for that with {@link #awaitRemoteFences}),
 * HSM to the vCPU threads' mailboxes, SRST to the VM's outcome, DBCN to the console.
 */
final class VmSbiPlatform implements SbiPlatform {
    static final int HSM_STARTED = 0, HSM_STOPPED = 1, HSM_START_PENDING = 2;
    /** Longest single sleep of a default (retentive) HSM suspend; the guest re-suspends if nothing is pending. */
    private static final long MAX_SUSPEND_NANOS = 10_000_000L;

    private final List<VcpuThread> vcpus;
    private final GuestRam ram;
    private final HostConsole console;
    private final VmLifecycle lifecycle;
    private final AtomicIntegerArray hsm;

    VmSbiPlatform(List<VcpuThread> vcpus, GuestRam ram, HostConsole console, VmLifecycle lifecycle) {
        this.vcpus = vcpus;
        this.ram = ram;
        this.console = console;
        this.lifecycle = lifecycle;
        this.hsm = new AtomicIntegerArray(vcpus.size());
        readHartStates();
    }

    /** HSM states from the vCPUs' (at construction, and when a resumed machine presets them). */
    void readHartStates() {
        for (int i = 0; i < vcpus.size(); i++) {
            hsm.set(i, vcpus.get(i).state() == VcpuThread.State.STOPPED ? HSM_STOPPED : HSM_STARTED);
        }
    }

    private Hart hart(int h) {
        return vcpus.get(h).hart();
    }

    /** The vCPU reports that a Start command took effect. */
    void started(int h) {
        hsm.set(h, HSM_STARTED);
    }

    @Override
    public int hartCount() {
        return vcpus.size();
    }

    @Override
    public void setTimer(int h, long deadline) {
        hart(h).setSupervisorTimer(deadline);
    }

    @Override
    public void sendIpi(int h) {
        hart(h).link().setInterruptPending(HartLink.SSIP, true);
    }

    @Override
    public void clearIpi(int h) {
        hart(h).link().setInterruptPending(HartLink.SSIP, false);
    }

    @Override
    public void remoteFenceI(int h) {
        hart(h).flushDecodeCache();
    }

    @Override
    public void remoteSfenceVma(int h, long start, long size, long asid) {
        hart(h).requestTlbFlush(); // a full flush of the target's TLB is a correct superset of any range/ASID
    }

    @Override
    public void awaitRemoteFences(int h) {
        hart(h).awaitFlushes();
    }

    @Override
    public long hartStart(int h, long startAddress, long opaque) {
        if (!hsm.compareAndSet(h, HSM_STOPPED, HSM_START_PENDING)) {
            return Sbi.ERR_ALREADY_AVAILABLE;
        }
        vcpus.get(h).send(new VcpuThread.Command.Start(startAddress, Hart.PRIV_S, h, opaque));
        return Sbi.SUCCESS;
    }

    @Override
    public long hartStop(int h) {
        if (!hsm.compareAndSet(h, HSM_STARTED, HSM_STOPPED)) {
            return Sbi.ERR_FAILED;
        }
        vcpus.get(h).send(new VcpuThread.Command.StopHart());
        return Sbi.SUCCESS;
    }

    @Override
    public long hartStatus(int h) {
        return hsm.get(h);
    }

    @Override
    public long hartSuspend(int h, long type, long resumeAddress, long opaque) {
        if (type == 0) {
            // Default retentive suspend: behaves like WFI and returns when an interrupt is pending.
            hart(h).awaitInterrupt(MAX_SUSPEND_NANOS);
            return Sbi.SUCCESS;
        }
        return Sbi.ERR_NOT_SUPPORTED; // non-retentive suspend needs a resume path we do not offer yet
    }

    @Override
    public void systemReset(long type, long reason) {
        if (type == 0) {
            lifecycle.powerOff(reason == 0 ? 0 : 1);
        } else {
            lifecycle.reboot();
        }
    }

    @Override
    public void consoleWrite(byte b) {
        try {
            console.output().write(b);
        } catch (IOException e) {
            // The console is gone (closed pipe): output is dropped, the guest carries on.
        }
    }

    @Override
    public int consoleRead() {
        return -1; // console input belongs to the UART; SBI getchar reports "nothing waiting"
    }

    @Override
    public boolean readPhysical(long address, byte[] dst, int length) {
        if (!ram.contains(address, length)) {
            return false;
        }
        byte[] tmp = length == dst.length ? dst : new byte[length];
        ram.read(address, tmp);
        if (tmp != dst) {
            System.arraycopy(tmp, 0, dst, 0, length);
        }
        return true;
    }

    @Override
    public boolean writePhysical(long address, byte[] src, int length) {
        if (!ram.contains(address, length)) {
            return false;
        }
        byte[] tmp = length == src.length ? src : java.util.Arrays.copyOf(src, length);
        ram.write(address, tmp);
        return true;
    }

}
