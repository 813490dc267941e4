package hv.cpu;

import static hv.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The translator (Jit, RegionScanner, RegionEmitter, CompiledRegion) against the interpreter's semantics. */
class JitTest {
    private static final HartConfig FORCED = HartConfig.firmware().withJitThreshold(1);

    @Test
    void loopRunsInsideATranslatedRegion() {
        try (TestMachine m = new TestMachine(FORCED)) {
            Hart h = m.exec(addi(1, 0, 100), addi(2, 0, 0), add(2, 2, 1), addi(1, 1, -1), bne(1, 0, -8));
            assertEquals(5050, h.x[2]);
            assertEquals(0, h.x[1]);
            assertTrue(h.jit.regions > 0, h.statsLine());
            assertTrue(h.jit.entries > 0, h.statsLine());
            System.out.println(h.statsLine());
        }
    }
}
