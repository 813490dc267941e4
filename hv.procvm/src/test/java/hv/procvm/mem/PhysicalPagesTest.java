package hv.procvm.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The frame allocator: reference counts, zeroed frames, delayed reuse, exhaustion. */
class PhysicalPagesTest {

    @Test
    void framesAreZeroedCountedAndNotReusedAtOnce() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(4L << 20, 4096);
            PhysicalPages pages = new PhysicalPages(ram, 0x8000_0000L);
            long a = pages.allocate();
            ram.set(ValueLayout.JAVA_LONG, pages.offset(a), -1L);
            pages.retain(a);
            pages.release(a);
            assertEquals(1, pages.refCount(a), "still referenced once");
            pages.release(a);
            assertEquals(0, pages.framesInUse());
            assertNotEquals(a, pages.allocate(), "a just-freed frame is not handed out again at once");
            assertThrows(IllegalStateException.class, () -> pages.release(a), "double free is a bug, caught");

            Set<Long> seen = new HashSet<>();
            long f;
            while ((f = pages.allocate()) >= 0) {
                seen.add(f);
                assertEquals(0L, ram.get(ValueLayout.JAVA_LONG, pages.offset(f)), "every frame handed out is zero");
            }
            assertEquals(pages.frameCount() - 1, seen.size(), "all frames but the one in use, each once");
        }
    }
}
