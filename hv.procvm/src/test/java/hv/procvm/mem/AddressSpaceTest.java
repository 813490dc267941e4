package hv.procvm.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The address space as the MMU sees it: the test walks the Sv39 tables itself (privileged spec
 * 4.3.2) rather than asking the class under test, so a wrong PTE format or table layout fails.
 */
class AddressSpaceTest {
    private static final long BASE = 0x8000_0000L;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ram = arena.allocate(64L << 20, 4096);
    private final PhysicalPages pages = new PhysicalPages(ram, BASE);
    private final AddressSpace as = new AddressSpace(pages, 7);

    @AfterEach
    void close() {
        arena.close();
    }

    /** An independent Sv39 walk: the leaf PTE for va, or 0. */
    private long walk(long va) {
        assertEquals(7, (as.satp() >>> 44) & 0xffff, "ASID");
        return walk(as, va);
    }

    private long walk(AddressSpace space, long va) {
        long satp = space.satp();
        assertEquals(8, satp >>> 60, "Sv39 mode");
        long table = (satp & ((1L << 44) - 1)) << 12;
        for (int level = 2; level >= 0; level--) {
            long vpn = (va >>> (12 + 9 * level)) & 0x1ff;
            long pte = ram.get(ValueLayout.JAVA_LONG, table - BASE + vpn * 8);
            if ((pte & 1) == 0) {
                return 0;
            }
            if ((pte & 0xe) != 0) {
                assertEquals(0, level, "no superpages");
                return pte;
            }
            assertEquals(0, pte & 0xf0, "non-leaf PTEs have no U/G/A/D");
            table = ((pte >>> 10) & ((1L << 44) - 1)) << 12;
        }
        return 0;
    }

    private long frameOf(long va) {
        return ((walk(va) >>> 10) & ((1L << 44) - 1)) << 12;
    }

    private long frameOf(AddressSpace space, long va) {
        return ((walk(space, va) >>> 10) & ((1L << 44) - 1)) << 12;
    }

    @Test
    void pagesArePopulatedOnFirstTouchWithTheVmaPermissions() {
        as.map(0x10000, 0x20000, Prot.READ | Prot.WRITE, Vma.PRIVATE, "data");
        assertEquals(0, walk(0x10000), "lazily mapped: nothing present yet");
        assertEquals(AddressSpace.FAULT_POPULATED, as.handleFault(0x10008, AddressSpace.STORE));
        long pte = walk(0x10000);
        assertEquals(0b1101_0111, pte & 0xff, "V R W U A D, not X");
        assertEquals(AddressSpace.FAULT_ALREADY_PRESENT, as.handleFault(0x10008, AddressSpace.LOAD));
        assertEquals(AddressSpace.FAULT_SEGV, as.handleFault(0x10008, AddressSpace.FETCH), "not executable");
        assertEquals(AddressSpace.FAULT_SEGV, as.handleFault(0x20000, AddressSpace.LOAD), "past the VMA");
        assertEquals(AddressSpace.FAULT_SEGV, as.handleFault(AddressSpace.USER_END, AddressSpace.LOAD), "kernel half");
    }

    @Test
    void kernelCopiesRespectProtectionAndPopulate() {
        as.map(0x10000, 0x13000, Prot.READ | Prot.WRITE, Vma.PRIVATE, "rw");
        as.map(0x13000, 0x14000, Prot.READ, Vma.PRIVATE, "ro");
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 13);
        }
        as.writeBytes(0x10ffe, data, 0, data.length);
        assertArrayEquals(data, as.readBytes(0x10ffe, data.length), "across a page boundary");
        long pa = frameOf(0x11000);
        assertEquals(data[2], ram.get(ValueLayout.JAVA_BYTE, pa - BASE), "the bytes are in the mapped frame");
        assertThrows(BadAddressException.class, () -> as.writeInt(0x13000, 1), "read-only: EFAULT");
        assertEquals(0, as.readInt(0x13000), "but readable, and zero");
        assertThrows(BadAddressException.class, () -> as.readInt(0x14000), "unmapped: EFAULT");
        as.poke(0x13000, new byte[] {9}, 0, 1);
        assertEquals(9, as.readBytes(0x13000, 1)[0], "the loader may write read-only segments");
        as.writeLong(0x11ffc, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, as.readLong(0x11ffc), "a word straddling pages");
        as.writeBytes(0x12000, "abc\0".getBytes(), 0, 4);
        assertEquals("abc", new String(as.readCString(0x12000, 100)));
        assertEquals(null, as.readCString(0x12000, 2), "too long");
    }

    @Test
    void protectChangesPtesAndProtNoneKeepsTheFrame() {
        as.map(0x40000, 0x42000, Prot.RW, Vma.PRIVATE, "x");
        as.writeInt(0x40000, 1234);
        long frame = frameOf(0x40000);
        assertTrue(as.protect(0x40000, 0x41000, Prot.NONE));
        assertEquals(0, walk(0x40000), "PROT_NONE: the PTE is invalid");
        assertEquals(AddressSpace.FAULT_SEGV, as.handleFault(0x40000, AddressSpace.LOAD));
        assertTrue(as.protect(0x40000, 0x41000, Prot.READ | Prot.EXEC));
        assertEquals(frame, frameOf(0x40000), "the same frame is back");
        assertEquals(0b1101_1011, walk(0x40000) & 0xff, "V R X U A D, not W");
        assertEquals(1234, as.readInt(0x40000));
        assertFalse(as.protect(0x40000, 0x50000, Prot.READ), "ENOMEM: part of the range is not mapped");
        assertEquals(2, as.vmas().size(), "the VMA was split in two");
    }

    @Test
    void unmapFreesFramesAndDestroyFreesEverything() {
        int before = pages.framesInUse();
        as.map(0x100000, 0x200000, Prot.RW, Vma.PRIVATE, "big");
        for (long va = 0x100000; va < 0x200000; va += 4096) {
            as.writeInt(va, (int) va);
        }
        int mapped = pages.framesInUse();
        assertEquals(256, mapped - before - (as.tablePages() - 1), "one frame per page plus tables");
        as.unmap(0x140000, 0x180000);
        assertEquals(mapped - 64, pages.framesInUse());
        assertEquals(0, walk(0x140000));
        assertEquals(0x13f000, as.readInt(0x13f000), "the page below the hole is intact");
        assertThrows(BadAddressException.class, () -> as.readInt(0x140000));
        as.destroy();
        assertEquals(0, pages.framesInUse(), "no frame leaks");
    }

    @Test
    void findFreeIsTopDownAndHonoursHints() {
        as.setMmapTop(0x3000_0000L);
        long a = as.findFree(0x10000, 0);
        assertEquals(0x3000_0000L - 0x10000, a);
        as.map(a, a + 0x10000, Prot.RW, Vma.PRIVATE, "a");
        long b = as.findFree(0x1000, 0);
        assertEquals(a - 0x1000, b);
        assertEquals(0x5000_0000L, as.findFree(0x1000, 0x5000_0000L), "a free hint is used");
        assertEquals(a - 0x1000, as.findFree(0x1000, a), "an occupied hint is not");
    }

    @Test
    void brkGrowsAndShrinks() {
        as.initBrk(0x80000);
        assertEquals(0x80000, as.brk(0));
        assertEquals(0x90010, as.brk(0x90010));
        as.writeInt(0x90000, 5);
        assertEquals(0x81000, as.brk(0x81000));
        assertThrows(BadAddressException.class, () -> as.readInt(0x90000));
        assertEquals(0x81000, as.brk(0x1000), "below the start: unchanged");
    }

    @Test
    void forkCopiesPrivatePagesAndSharesSharedOnes() {
        as.map(0x10000, 0x11000, Prot.RW, Vma.PRIVATE, "priv");
        as.map(0x20000, 0x21000, Prot.RW, Vma.SHARED, "shared");
        as.writeInt(0x10000, 1);
        as.writeInt(0x20000, 2);
        AddressSpace child = as.fork(8);
        assertEquals(1, child.readInt(0x10000));
        child.writeInt(0x10000, 10);
        child.writeInt(0x20000, 20);
        assertEquals(1, as.readInt(0x10000), "private: copied");
        assertEquals(20, as.readInt(0x20000), "shared: the same frame");
        child.destroy();
        assertEquals(20, as.readInt(0x20000), "the parent keeps the shared frame");
    }

    @Test
    void forkSharesReadOnlyPagesUntilOneSideMakesThemWritable() {
        as.map(0x10000, 0x12000, Prot.READ | Prot.EXEC, Vma.PRIVATE, "text");
        as.poke(0x10000, new byte[] {1, 2, 3, 4}, 0, 4);
        as.poke(0x11000, new byte[] {5, 6, 7, 8}, 0, 4);
        long text = frameOf(0x10000);
        AddressSpace child = as.fork(8);
        assertEquals(text, frameOf(child, 0x10000), "read-only: the same frame");
        assertEquals(2, pages.refCount(text));

        assertTrue(child.protect(0x10000, 0x11000, Prot.RW));
        assertTrue(frameOf(child, 0x10000) != text, "made writable: the child got its own copy");
        assertEquals(0x04030201, child.readInt(0x10000), "with the same contents");
        child.writeInt(0x10000, 99);
        assertEquals(0x04030201, as.readInt(0x10000), "the parent's page is untouched");
        assertEquals(1, pages.refCount(text));

        long second = frameOf(0x11000);
        as.poke(0x11000, new byte[] {9}, 0, 1); // the loader writing a shared read-only page
        assertEquals(0x08070609, as.readInt(0x11000));
        assertEquals(0x08070605, child.readInt(0x11000), "the child still sees the original");
        assertTrue(frameOf(0x11000) != second);
        child.destroy();
        as.destroy();
        assertEquals(0, pages.framesInUse(), "every shared frame released exactly once");
    }

    @Test
    void moveKeepsFrames() {
        as.map(0x10000, 0x12000, Prot.RW, Vma.PRIVATE, "m");
        as.writeInt(0x11000, 77);
        long frame = frameOf(0x11000);
        as.move(0x10000, 0x2000, 0x50000);
        assertEquals(frame, frameOf(0x51000));
        assertEquals(77, as.readInt(0x51000));
        assertEquals(0, walk(0x11000));
        assertTrue(as.growInPlace(0x50000, 0x52000, 0x60000));
        assertEquals(0, as.readInt(0x5f000));
    }

    @Test
    void pteWritesGoThroughTheInstalledWriter() {
        int[] writes = {0};
        pages.setPteWriter((pa, pte) -> {
            writes[0]++;
            ram.set(ValueLayout.JAVA_LONG, pa - BASE, pte);
        });
        as.map(0x10000, 0x11000, Prot.RW, Vma.PRIVATE, "w");
        as.writeInt(0x10000, 1);
        assertTrue(writes[0] >= 3, "two table pointers and the leaf");
        assertEquals(1, as.readInt(0x10000));
    }
}
