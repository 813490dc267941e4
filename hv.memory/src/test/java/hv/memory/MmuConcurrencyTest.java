package hv.memory;

import static hv.memory.GuestPageTables.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Harts on different host threads: remapping under a reader, A/D races, dirty logging under stores. */
class MmuConcurrencyTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    static final long DATA = BASE + 0x10_0000;
    static final long PT_AREA = BASE + 0x80_0000;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);

    static void join(Thread t, AtomicReference<Throwable> failure) throws InterruptedException {
        t.join(20_000);
        assertFalse(t.isAlive(), t.getName() + " hung");
        if (failure.get() != null) {
            throw new AssertionError(t.getName() + " failed", failure.get());
        }
    }

    @Test
    void afterTheFenceTheReaderSeesTheNewMapping() throws Exception {
        GuestPageTables pt = new GuestPageTables(ram, 8, PT_AREA, 0x4_0000);
        for (int i = 0; i < 16; i++) {
            ram.putLong(DATA + i * 4096L - BASE, 1000 + i);
        }
        long slot = pt.map(0x1000, DATA, R | W | A | D);
        long satp = pt.satp(1);
        Mmu reader = new Mmu(pm, 0);
        Mmu writer = new Mmu(pm, 1);
        int rounds = 300;
        var epoch = new java.util.concurrent.atomic.AtomicInteger();
        var ack = new java.util.concurrent.atomic.AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread r = new Thread(() -> {
            try {
                reader.writeSatp(satp);
                reader.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
                int seen = 0;
                while (seen < rounds) {
                    int e = epoch.get();
                    reader.pollFlush(); // a block boundary
                    long v = reader.load64(0x1008 - 8);
                    if (e != seen) {
                        // the writer remapped and fenced before publishing e: we must see round e
                        assertEquals(1000 + e % 16, v, "round " + e);
                        seen = e;
                        ack.set(e);
                    } else {
                        // between fences either mapping may be visible, never anything else
                        assertTrue(v == 1000 + seen % 16 || v == 1000 + (seen + 1) % 16, "round " + seen + " saw " + v);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
                ack.set(Integer.MAX_VALUE);
            }
        }, "reader");
        r.start();
        writer.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        for (int k = 1; k <= rounds && failure.get() == null; k++) {
            writer.store64(slot, pte(DATA + (k % 16) * 4096L, R | W | A | D | V)); // the guest's PTE store
            writer.pollFlush();     // the ecall ends the writer's block; it polls before the exit is handled
            reader.requestFlush();  // the remote sfence (SBI rfence)
            epoch.set(k);
            while (ack.get() < k) {
                Thread.onSpinWait();
            }
        }
        join(r, failure);
        assertTrue(reader.stats().messages > 0 || reader.stats().remoteFlushes > 0);
    }

    @Test
    void accessedAndDirtyUpdatesNeverLoseAConcurrentPteUpdate() throws Exception {
        // Harts keep re-walking a few hot PTEs (the kernel keeps clearing A, as page aging does)
        // while the kernel toggles a software bit (RSW bit 8) with AMOs an even number of times.
        // A walker that set A/D with a plain write instead of a compare-and-swap would sooner or
        // later write back a PTE read before a toggle, and bit 8 would end up set.
        GuestPageTables pt = new GuestPageTables(ram, 8, PT_AREA, 0x4_0000);
        int pages = 8;
        long[] slots = new long[pages];
        for (int i = 0; i < pages; i++) {
            slots[i] = pt.map(0x40_0000L + i * 4096L, DATA + i * 4096L, R | W);
        }
        long satp = pt.satp(1);
        int harts = 2;
        int toggles = 20_000;
        Mmu kernel = new Mmu(pm, harts);
        kernel.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[harts];
        for (int h = 0; h < harts; h++) {
            Mmu m = new Mmu(pm, h);
            int id = h;
            threads[h] = new Thread(() -> {
                try {
                    m.writeSatp(satp);
                    m.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
                    for (int n = 0; !done.get(); n++) {
                        long va = 0x40_0000L + (n % pages) * 4096L;
                        if ((n & 1) == 0) {
                            m.store8(va + id, 1);
                        } else {
                            m.load8(va);
                        }
                        m.pollFlush();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "hart" + h);
            threads[h].start();
        }
        try {
            for (int n = 0; n < toggles; n++) {
                for (int i = 0; i < pages; i++) {
                    long off = kernel.translateAtomic(slots[i], 8, false);
                    ram.getAndBitwiseXorLong(off, 1L << 8);
                    ram.getAndBitwiseAndLong(off, ~(A | D));
                    kernel.pollFlush();
                }
            }
        } finally {
            done.set(true);
        }
        for (Thread t : threads) {
            join(t, failure);
        }
        for (int i = 0; i < pages; i++) {
            long p = ram.getLong(slots[i] - BASE);
            assertEquals(0, p & (1L << 8), "PTE " + i + " = 0x" + Long.toHexString(p) + ": a toggle was lost");
            assertEquals(V | R | W, p & (V | R | W | X | U));
            assertEquals(DATA + i * 4096L, (p >>> 10) << 12);
        }
    }

    @Test
    void dirtyLogRoundsNeverMissAStore() throws Exception {
        GuestPageTables pt = new GuestPageTables(ram, 8, PT_AREA, 0x4_0000);
        int pages = 64;
        for (int i = 0; i < pages; i++) {
            pt.map(0x40_0000L + i * 4096L, DATA + i * 4096L, R | W | A | D);
        }
        long satp = pt.satp(1);
        Mmu hart = new Mmu(pm, 0);
        DirtyLog log = ram.dirtyLog();
        byte[][] copy = new byte[(int) log.pages()][];
        log.start(true);
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                hart.writeSatp(satp);
                hart.setContext(Mmu.PRIV_S, Mmu.PRIV_S, false, false);
                SplittableRandom rnd = new SplittableRandom(42);
                long counter = 0;
                while (!stop.get()) {
                    for (int n = 0; n < 200; n++) {
                        hart.store64(0x40_0000L + rnd.nextInt(pages) * 4096L + rnd.nextInt(512) * 8L, ++counter);
                    }
                    hart.pollFlush();
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "hart");
        t.start();
        // Pre-copy rounds while the guest runs.
        int copied = 0;
        for (int round = 0; round < 200; round++) {
            copied += copyDirty(log.readAndClear(), copy);
        }
        stop.set(true);
        join(t, failure);
        // Stop-and-copy: the paused hart catches up with the last flush request, then the final round.
        hart.pollFlush();
        copyDirty(log.readAndClear(), copy);
        log.stop();
        for (int i = 0; i < pages; i++) {
            long off = DATA + i * 4096L - BASE;
            byte[] now = new byte[4096];
            ram.read(BASE + off, now);
            assertArrayEquals(now, copy[(int) (off >>> 12)], "page " + i + " differs from the migrated copy");
        }
        assertTrue(copied > 0);
    }

    private int copyDirty(long[] bits, byte[][] copy) {
        int n = 0;
        for (int w = 0; w < bits.length; w++) {
            for (long m = bits[w]; m != 0; m &= m - 1) {
                int page = w * 64 + Long.numberOfTrailingZeros(m);
                byte[] data = new byte[4096];
                ram.read(BASE + page * 4096L, data);
                copy[page] = data;
                n++;
            }
        }
        return n;
    }
}
