package hv.procvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import hv.memory.GuestRam;
import hv.memory.PhysicalMemory;
import hv.procvm.kernel.Vcpu;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Harts of ended threads are reused, and a reused hart starts like a new one. */
class HartVcpuPoolTest {
    private final GuestRam ram = GuestRam.allocate(GuestRam.DEFAULT_BASE, 16L << 20);
    private final HartVcpuPool pool = new HartVcpuPool(new PhysicalMemory(ram), new HostClock());

    @AfterEach
    void close() {
        ram.close();
    }

    @Test
    void aReleasedHartIsReusedWithNoStateOfItsLastThread() {
        Vcpu first = pool.create(100);
        first.x()[5] = 42;
        first.f()[3] = 0x4000_0000_0000_0000L;
        first.setPc(0x1_0000);
        first.setFcsr(0xff);
        pool.release(first);

        Vcpu second = pool.create(101);
        assertSame(first, second, "the idle hart is handed out again");
        assertEquals(0, second.x()[5]);
        assertEquals(0, second.f()[3]);
        assertEquals(0, second.pc());
        assertEquals(0, second.fcsr());
        assertEquals(0, second.instret(), "instructions count from the new thread's start");
        assertNotSame(second, pool.create(102), "an empty pool builds a new hart");
    }

    @Test
    void onlyAFewIdleHartsAreKept() {
        List<Vcpu> all = new ArrayList<>();
        for (int i = 0; i < HartVcpuPool.MAX_IDLE + 3; i++) {
            all.add(pool.create(200 + i));
        }
        all.forEach(pool::release);
        List<Vcpu> again = new ArrayList<>();
        for (int i = 0; i < HartVcpuPool.MAX_IDLE + 3; i++) {
            again.add(pool.create(300 + i));
        }
        long reused = again.stream().filter(all::contains).count();
        assertEquals(HartVcpuPool.MAX_IDLE, reused);
    }
}
