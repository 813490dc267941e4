package hv.devices.virtio;

import hv.devices.testing.MockVirtioDriver;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static hv.devices.testing.MockVirtioDriver.F_INDIRECT;
import static hv.devices.testing.MockVirtioDriver.F_NEXT;
import static hv.devices.testing.MockVirtioDriver.F_WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random descriptor tables, rings and indices thrown at the real transport and
 * virtqueue. Whatever the guest writes: nothing throws out of an MMIO access, every chain the
 * device gets keeps the validation promises (checked by {@link EchoDevice}), and after a reset
 * the device serves good requests again. The seed is printed on failure; rerun it with
 * {@code -Dhv.fuzz.seed=N}.
 */
class DescriptorFuzzTest {

    private static final int ROUNDS = 400;

    @Test
    void randomDescriptorTablesNeverBreakTheDevice() {
        long seed = Long.getLong("hv.fuzz.seed", System.nanoTime());
        Random rnd = new Random(seed);
        int round = 0;
        long served = 0;
        long errors = 0;
        try {
            for (round = 0; round < ROUNDS; round++) {
                try (EchoRig r = new EchoRig(false)) {
                    int size = 1 << rnd.nextInt(5); // 1..16
                    long features = VirtioFeatures.VERSION_1
                            | (rnd.nextBoolean() ? VirtioFeatures.RING_INDIRECT_DESC : 0)
                            | (rnd.nextBoolean() ? VirtioFeatures.RING_EVENT_IDX : 0);
                    r.up(features, size);
                    MockVirtioDriver d = r.driver;
                    long scratch = d.alloc(4096, 16);
                    for (int i = 0; i < size; i++) {
                        randomDescriptor(rnd, r, d.queue(0).desc + 16L * i, size, scratch);
                    }
                    int batches = 1 + rnd.nextInt(4);
                    for (int b = 0; b < batches; b++) {
                        int n = rnd.nextInt(size + 1);
                        for (int k = 0; k < n; k++) {
                            int head = rnd.nextInt(20) == 0 ? rnd.nextInt(0x10000) : rnd.nextInt(size);
                            d.makeAvailable(0, head);
                        }
                        if (rnd.nextInt(10) == 0) {
                            d.setAvailIdx(0, rnd.nextInt(0x10000));
                        }
                        d.notify(0);
                    }
                    served += r.device.served;
                    errors += r.errors().total();
                    assertEquals(java.util.List.of(), r.device.violations);
                    r.recover();
                    r.assertServesGoodRequests();
                }
            }
        } catch (Throwable t) {
            throw new AssertionError("descriptor fuzz failed: seed=" + seed + " round=" + round
                    + " (rerun with -Dhv.fuzz.seed=" + seed + ")", t);
        }
        // The generator must exercise both outcomes, or the test proves little.
        if (served == 0 || errors == 0) {
            throw new AssertionError("seed=" + seed + ": fuzz produced served=" + served + " errors=" + errors);
        }
    }

    private static void randomDescriptor(Random rnd, EchoRig r, long at, int size, long scratch) {
        long addr = randomAddress(rnd, r, scratch);
        int len = randomLength(rnd);
        int flags = rnd.nextInt(8);
        if (rnd.nextInt(30) == 0) {
            flags |= rnd.nextInt(0x10000);
        }
        int next = rnd.nextInt(size + (rnd.nextInt(10) == 0 ? 5 : 0));
        if ((flags & F_INDIRECT) != 0 && rnd.nextBoolean()) {
            // a plausible indirect table, itself random
            int entries = 1 + rnd.nextInt(size + 2);
            long table = scratch + 16L * rnd.nextInt(200);
            if (rnd.nextInt(8) == 0) {
                table += 8;
            }
            for (int i = 0; i < entries; i++) {
                int f = rnd.nextInt(8) & ~(rnd.nextInt(4) == 0 ? 0 : F_INDIRECT);
                r.driver.writeDescAt(table + 16L * i, randomAddress(rnd, r, scratch), randomLength(rnd),
                        f, rnd.nextInt(entries + 1));
            }
            addr = table;
            len = rnd.nextInt(10) == 0 ? rnd.nextInt(100) : 16 * entries;
        }
        r.driver.writeDescAt(at, addr, len, flags & (F_NEXT | F_WRITE | F_INDIRECT | 0xfff8), next);
    }

    private static long randomAddress(Random rnd, EchoRig r, long scratch) {
        return switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextLong();
            case 1 -> 0xffff_ffff_ffff_f000L + rnd.nextInt(0x1000);
            case 2 -> r.ram.end() - rnd.nextInt(64);
            case 3 -> r.ram.base() - rnd.nextInt(64);
            default -> scratch + rnd.nextInt(4096);
        };
    }

    private static int randomLength(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1; // 0xffffffff
            case 2 -> rnd.nextInt();
            default -> rnd.nextInt(128);
        };
    }
}
