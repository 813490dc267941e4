package hv.hosts;

import hv.api.platform.GuestClock;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.hosts.vcpu.VcpuThread;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuestPcSamplerTest {

    private static final GuestClock CLOCK = new GuestClock() {
        @Override
        public long mtime() {
            return 0;
        }

        @Override
        public long frequency() {
            return GuestClock.DEFAULT_FREQUENCY;
        }
    };

    private static final VcpuThread.Listener QUIET = new VcpuThread.Listener() {
        @Override
        public void sliceEnded(VcpuThread vcpu) {
        }

        @Override
        public void fatal(VcpuThread vcpu, String message) {
        }

        @Override
        public void started(VcpuThread vcpu) {
        }
    };

    @Test
    void countsRunningHartsByPcAndStoppedHartsAsAsleep(@TempDir Path dir) throws Exception {
        PhysicalMemory phys = new PhysicalMemory(GuestRam.allocate(0x8000_0000L, 16 << 20));
        Hart running = new Hart(0, new Mmu(phys, 0), CLOCK, HartConfig.hypervisor());
        Hart stopped = new Hart(1, new Mmu(phys, 1), CLOCK, HartConfig.hypervisor());
        running.pc = 0xffff_ffff_8000_1234L;
        running.x[1] = 0xffff_ffff_8000_5678L;
        // Threads never started: the states are what the constructor says (running / HSM stopped).
        VcpuThread a = new VcpuThread(running, QUIET, true);
        VcpuThread b = new VcpuThread(stopped, QUIET, false);
        Path out = dir.resolve("guest.prof");
        GuestPcSampler sampler = new GuestPcSampler(List.of(a, b), out);
        sampler.start();
        // Wait for rounds, not for time: on a loaded host the sampler thread may get few slices.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sampler.ticks() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        sampler.finish();

        List<String> lines = Files.readAllLines(out);
        long hart0 = 0, hart1Asleep = 0;
        for (String l : lines) {
            if (l.startsWith("#")) {
                continue;
            }
            String[] f = l.split(" ");
            assertEquals(6, f.length, l);
            if (f[1].equals("0")) {
                assertEquals("1", f[2], "privilege S");
                assertEquals("ffffffff80001234", f[3]);
                assertEquals("ffffffff80005678", f[4]);
                hart0 += Long.parseLong(f[5]);
            } else {
                assertEquals("-1", f[2], "a stopped hart is asleep, whatever its pc");
                hart1Asleep += Long.parseLong(f[5]);
            }
        }
        assertTrue(hart0 >= 10, "one sample of hart 0 per round, got " + hart0);
        assertEquals(hart0, hart1Asleep, "both harts are looked at on every tick");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("# retired ")), "instruction counts per second");
    }
}
