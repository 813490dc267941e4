package hv.memory;

import static org.junit.jupiter.api.Assertions.*;

import hv.api.device.GuestMemoryException;
import org.junit.jupiter.api.Test;

/**
 * The code-write log vouches for "nobody wrote this page since": every write path either bumps a
 * page's generation after writing, or writes through a store TLB entry that is counted while it lives.
 */
class CodeWriteLogTest {
    static final long BASE = GuestRam.DEFAULT_BASE;
    final GuestRam ram = GuestRam.allocate(BASE, 16L << 20);
    final PhysicalMemory pm = new PhysicalMemory(ram);
    final Mmu mmu = new Mmu(pm, 0);
    final CodeWriteLog log = ram.codeWrites();

    @Test
    void aStoreTlbEntryIsCountedWhileItLivesAndBumpsTheGenerationWhenInstalled() {
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        long page = 5;
        int g0 = log.writeGeneration(page);
        assertFalse(log.storeMapped(page));
        mmu.load32(BASE + page * 4096); // loads neither count nor bump
        assertEquals(g0, log.writeGeneration(page));
        assertFalse(log.storeMapped(page));
        mmu.store32(BASE + page * 4096 + 8, 1); // slow path: fills the store TLB
        int g1 = log.writeGeneration(page);
        assertNotEquals(g0, g1);
        assertTrue(log.storeMapped(page));
        mmu.store32(BASE + page * 4096 + 12, 2); // TLB hit: writes without telling the log...
        assertEquals(g1, log.writeGeneration(page));
        assertTrue(log.storeMapped(page), "...which is why the page counts as store-mapped");
        mmu.requestFlush();
        mmu.pollFlush(); // the entry is gone, after its last store
        assertFalse(log.storeMapped(page));
        assertEquals(g1, log.writeGeneration(page), "nothing was written since the entry's installation was noted");
    }

    @Test
    void evictingAnEntryByAnotherPageOfTheSameSlotUncountsIt() {
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        long a = 3, b = a + Mmu.TLB_SIZE; // same direct-mapped slot
        mmu.store8(BASE + a * 4096, 1);
        assertTrue(log.storeMapped(a));
        mmu.store8(BASE + b * 4096, 1);
        assertFalse(log.storeMapped(a));
        assertTrue(log.storeMapped(b));
        mmu.reset();
        assertFalse(log.storeMapped(b));
    }

    @Test
    void writesAroundTheStoreTlbBumpTheGeneration() throws GuestMemoryException {
        long page = 9, off = page * 4096;
        int g = log.writeGeneration(page);
        pm.dmaView().writeU32(BASE + off, 7); // device DMA
        assertNotEquals(g, g = log.writeGeneration(page));
        ram.write(BASE + off, new byte[] {1, 2, 3}); // loaders
        assertNotEquals(g, g = log.writeGeneration(page));
        ram.putLong(off + 16, 5); // host accessors
        assertNotEquals(g, g = log.writeGeneration(page));
        mmu.setContext(Mmu.PRIV_M, Mmu.PRIV_M, false, false);
        mmu.store64(BASE + off + 4093, -1L); // misaligned across pages 9 and 10: no TLB entry
        assertNotEquals(g, log.writeGeneration(page));
        assertFalse(log.storeMapped(page));
        assertFalse(log.storeMapped(page + 1));
        int other = log.writeGeneration(20);
        pm.dmaView().writeU32(BASE + off, 8);
        assertEquals(other, log.writeGeneration(20), "only the written pages move");
    }
}
