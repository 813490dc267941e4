package hv.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void addiAndLoop() {
        try (TestMachine m = new TestMachine()) {
            // x1 = 10; x2 = 0; loop: x2 += x1; x1 -= 1; bne x1, x0, loop
            Hart h = m.exec(Asm.addi(1, 0, 10), Asm.addi(2, 0, 0), Asm.add(2, 2, 1), Asm.addi(1, 1, -1), Asm.bne(1, 0, -8));
            assertEquals(55, h.x[2]);
            assertEquals(0, h.x[1]);
            assertEquals(0, h.x[0]);
        }
    }
}
