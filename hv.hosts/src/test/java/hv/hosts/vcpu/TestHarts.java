package hv.hosts.vcpu;

import hv.api.platform.GuestClock;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;

/** Harts and clocks the vCPU-thread tests share. */
public final class TestHarts {
    public static final long RAM_BASE = 0x8000_0000L;
    /** {@code j -4}: jump back to the instruction before. */
    public static final int JUMP_BACK = 0xffdf_f06f;

    /** A 10 MHz guest clock that follows the host's monotonic time. */
    public static final GuestClock WALL_CLOCK = new GuestClock() {
        @Override
        public long mtime() {
            return System.nanoTime() / 100;
        }

        @Override
        public long frequency() {
            return GuestClock.DEFAULT_FREQUENCY;
        }
    };

    private TestHarts() {
    }

    /** A vCPU listener for tests: ignores slices and start, fails the test on a fatal error. */
    public static class StrictListener implements VcpuThread.Listener {
        @Override
        public void sliceEnded(VcpuThread vcpu) {
        }

        @Override
        public void fatal(VcpuThread vcpu, String message) {
            throw new AssertionError(message);
        }

        @Override
        public void started(VcpuThread vcpu) {
        }
    }

    /** A firmware-mode hart at RAM_BASE looping on "{@code instruction}; j -4", every interrupt disabled. */
    public static Hart looping(int instruction) {
        GuestRam ram = GuestRam.allocate(RAM_BASE, 16 << 20);
        ram.putInt(0, instruction);
        ram.putInt(4, JUMP_BACK);
        Hart h = new Hart(0, new Mmu(new PhysicalMemory(ram), 0), WALL_CLOCK, HartConfig.firmware());
        h.reset(RAM_BASE, Hart.PRIV_M);
        return h;
    }
}
