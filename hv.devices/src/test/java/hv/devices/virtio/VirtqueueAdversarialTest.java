package hv.devices.virtio;

import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static hv.devices.testing.MockVirtioDriver.F_INDIRECT;
import static hv.devices.testing.MockVirtioDriver.F_NEXT;
import static hv.devices.testing.MockVirtioDriver.F_WRITE;
import static hv.devices.testing.MockVirtioDriver.NEEDS_RESET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile or buggy driver can do to a split virtqueue, case by case. Each test checks
 * the device's answer (the request completed empty and counted, or DEVICE_NEEDS_RESET) and
 * that the device still serves well-formed requests afterwards. Run both with the device
 * serving on the notifying thread and on its own worker thread.
 */
class VirtqueueAdversarialTest {

    private static EchoRig rig(boolean async) {
        return new EchoRig(async).up(); // queue size 8, all transport features
    }

    /** The bad request comes back with length 0 under its own head, counted once. */
    private static void assertDropped(EchoRig r, int head, VirtioError kind) {
        Used u = r.driver.waitUsed(0);
        assertNotNull(u, "bad request never completed");
        assertEquals(head, u.id());
        assertEquals(0, u.len());
        assertEquals(1, r.errors().count(kind), kind + " counted");
        assertEquals(0, r.driver.status() & NEEDS_RESET, "a bad chain alone does not need a reset");
        r.assertServesGoodRequests();
    }

    /** The ring is broken: NEEDS_RESET, the driver is told, and a reset cures it. */
    private static void assertNeedsResetThenRecovers(EchoRig r, VirtioError kind) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((r.driver.status() & NEEDS_RESET) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue((r.driver.status() & NEEDS_RESET) != 0, "DEVICE_NEEDS_RESET set");
        assertTrue(r.errors().count(kind) >= 1, kind + " counted");
        r.recover();
        assertEquals(0, r.driver.status() & NEEDS_RESET);
        r.assertServesGoodRequests();
    }

    private static long okBuf(EchoRig r) {
        return r.driver.alloc(64, 16);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void bufferOutsideGuestRam(boolean async) {
        try (EchoRig r = rig(async)) {
            int h = r.driver.chain(0, Buf.in(0x1000, 16), Buf.out(okBuf(r), 16));
            r.driver.submit(0, h);
            assertDropped(r, h, VirtioError.DESC_OUT_OF_RAM);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void bufferStraddlingTheEndOfRam(boolean async) {
        try (EchoRig r = rig(async)) {
            int h = r.driver.chain(0, Buf.in(okBuf(r), 8), Buf.out(r.ram.end() - 8, 16));
            r.driver.submit(0, h);
            assertDropped(r, h, VirtioError.DESC_OUT_OF_RAM);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void addressPlusLengthWrapsAround(boolean async) {
        try (EchoRig r = rig(async)) {
            int h = r.driver.chain(0, Buf.in(0xffff_ffff_ffff_fff0L, 0x20), Buf.out(okBuf(r), 16));
            r.driver.submit(0, h);
            assertDropped(r, h, VirtioError.DESC_ADDRESS_OVERFLOW);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void chainThatLoops(boolean async) {
        try (EchoRig r = rig(async)) {
            long b = okBuf(r);
            r.driver.writeDesc(0, 0, b, 8, F_NEXT, 1);
            r.driver.writeDesc(0, 1, b + 8, 8, F_NEXT, 0);
            r.driver.queue(0).availIdx = r.driver.queue(0).availIdx; // heads 0/1 are ours
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.CHAIN_TOO_LONG);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void chainAsLongAsTheQueueIsFine(boolean async) {
        try (EchoRig r = rig(async)) {
            long b = okBuf(r);
            Buf[] bufs = new Buf[8];
            for (int i = 0; i < 7; i++) {
                bufs[i] = Buf.in(b + i, 1);
            }
            bufs[7] = Buf.out(b + 32, 8);
            int h = r.driver.chain(0, bufs);
            r.driver.submit(0, h);
            Used u = r.driver.waitUsed(0);
            assertEquals(7, u.len(), "an 8-descriptor chain in an 8-entry queue is legal");
            assertEquals(0, r.errors().total());
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void nextIndexBeyondTheTable(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.writeDesc(0, 0, okBuf(r), 8, F_NEXT, 200);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.BAD_NEXT_INDEX);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void readableAfterWritable(boolean async) {
        try (EchoRig r = rig(async)) {
            long b = okBuf(r);
            int h = r.driver.chain(0, Buf.out(b, 8), Buf.in(b + 16, 8));
            r.driver.submit(0, h);
            assertDropped(r, h, VirtioError.READABLE_AFTER_WRITABLE);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectTableMisaligned(boolean async) {
        try (EchoRig r = rig(async)) {
            long table = r.driver.alloc(64, 16) + 8;
            r.driver.writeDescAt(table, okBuf(r), 8, 0, 0);
            r.driver.writeDesc(0, 0, table, 16, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.INDIRECT_MISALIGNED);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectTableNested(boolean async) {
        try (EchoRig r = rig(async)) {
            long inner = r.driver.alloc(16, 16);
            r.driver.writeDescAt(inner, okBuf(r), 8, 0, 0);
            long outer = r.driver.alloc(16, 16);
            r.driver.writeDescAt(outer, inner, 16, F_INDIRECT, 0);
            r.driver.writeDesc(0, 0, outer, 16, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.INDIRECT_NESTED);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectTableLargerThanTheQueue(boolean async) {
        try (EchoRig r = rig(async)) {
            long table = r.driver.alloc(16 * 9, 16);
            long b = okBuf(r);
            for (int i = 0; i < 9; i++) {
                r.driver.writeDescAt(table + 16L * i, b, 1, i < 8 ? F_NEXT : 0, i + 1);
            }
            r.driver.writeDesc(0, 0, table, 16 * 9, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.INDIRECT_OVERSIZED);
        }
    }

    @ParameterizedTest(name = "length={0}")
    @ValueSource(ints = {0, 24, 8})
    void indirectTableWithBadLength(int length) {
        try (EchoRig r = rig(false)) {
            long table = r.driver.alloc(64, 16);
            r.driver.writeDescAt(table, okBuf(r), 8, 0, 0);
            r.driver.writeDesc(0, 0, table, length, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.INDIRECT_BAD_LENGTH);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectDescriptorWithNextFlag(boolean async) {
        try (EchoRig r = rig(async)) {
            long table = r.driver.alloc(16, 16);
            r.driver.writeDescAt(table, okBuf(r), 8, 0, 0);
            r.driver.writeDesc(0, 0, table, 16, F_INDIRECT | F_NEXT, 1);
            r.driver.writeDesc(0, 1, okBuf(r), 8, F_WRITE, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.INDIRECT_WITH_NEXT);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectTableOutsideRam(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.writeDesc(0, 0, 0x4000_0000L, 32, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.DESC_OUT_OF_RAM);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void loopInsideAnIndirectTable(boolean async) {
        try (EchoRig r = rig(async)) {
            long table = r.driver.alloc(32, 16);
            long b = okBuf(r);
            r.driver.writeDescAt(table, b, 4, F_NEXT, 1);
            r.driver.writeDescAt(table + 16, b, 4, F_NEXT, 0);
            r.driver.writeDesc(0, 0, table, 32, F_INDIRECT, 0);
            r.driver.submit(0, 0);
            assertDropped(r, 0, VirtioError.CHAIN_TOO_LONG);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void indirectWithoutNegotiation(boolean async) {
        try (EchoRig r = new EchoRig(async).up(VirtioFeatures.VERSION_1, 8)) {
            int h = r.driver.indirectChain(0, Buf.in(okBuf(r), 8), Buf.out(okBuf(r), 8));
            r.driver.submit(0, h);
            assertDropped(r, h, VirtioError.INDIRECT_NOT_NEGOTIATED);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void headIndexBeyondTheQueue(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.submit(0, 100);
            assertNeedsResetThenRecovers(r, VirtioError.BAD_HEAD_INDEX);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void availableIndexJumpsBeyondTheQueueSize(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.setAvailIdx(0, 9);
            r.driver.notify(0);
            assertNeedsResetThenRecovers(r, VirtioError.AVAIL_INDEX_JUMP);
        }
    }

    @ParameterizedTest(name = "size={0}")
    @ValueSource(ints = {0, 6, 32, 65536})
    void invalidQueueSizes(int size) {
        try (EchoRig r = new EchoRig(false)) {
            MockVirtioDriver d = r.driver;
            d.initialize(VirtioFeatures.TRANSPORT_OFFERED);
            d.writeQueueRegisters(0, size, d.alloc(16 * 64, 16), d.alloc(256, 2), d.alloc(1024, 4));
            d.reg(0x44, 1);
            assertEquals(0, d.reg(0x44), "queue stays disabled");
            assertNeedsResetThenRecovers(r, VirtioError.QUEUE_SIZE_INVALID);
        }
    }

    @ParameterizedTest(name = "case={0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void ringsMisalignedOrOutsideRam(int which) {
        try (EchoRig r = new EchoRig(false)) {
            MockVirtioDriver d = r.driver;
            d.initialize(VirtioFeatures.TRANSPORT_OFFERED);
            long desc = d.alloc(128, 16);
            long avail = d.alloc(32, 2);
            long used = d.alloc(128, 4);
            switch (which) {
                case 0 -> desc += 8;                    // descriptor table needs 16
                case 1 -> avail += 1;                   // available ring needs 2
                case 2 -> used += 2;                    // used ring needs 4
                case 3 -> used = r.ram.end() - 16;      // runs off the end of RAM
                default -> desc = 0x1000;               // below RAM
            }
            d.writeQueueRegisters(0, 8, desc, avail, used);
            d.reg(0x44, 1);
            assertEquals(0, d.reg(0x44));
            assertNeedsResetThenRecovers(r, VirtioError.QUEUE_RING_INVALID);
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void queueConfigurationChangedWhileEnabledIsIgnored(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.reg(0x30, 0);
            r.driver.reg(0x38, 4);
            r.driver.reg(0x80, 0x1000);
            r.driver.reg(0xa0, 0x2000);
            assertTrue(r.errors().count(VirtioError.QUEUE_CONFIG_WHILE_ENABLED) >= 3);
            assertEquals(0, r.driver.status() & NEEDS_RESET);
            r.assertServesGoodRequests(); // still on the original rings
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void notifyForQueuesThatDoNotExistOrAreNotReady(boolean async) {
        try (EchoRig r = new EchoRig(async)) {
            r.driver.initialize(VirtioFeatures.TRANSPORT_OFFERED);
            r.driver.notify(0);  // not ready, not DRIVER_OK
            r.driver.setupQueue(0, 8);
            r.driver.driverOk();
            r.driver.notify(5);
            r.driver.notify(-1);
            assertEquals(0, r.errors().total());
            r.assertServesGoodRequests();
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void emptyDescriptorsAreLegal(boolean async) {
        try (EchoRig r = rig(async)) {
            int h = r.driver.chain(0, Buf.in(0, 0), Buf.out(0xdead_0000L, 0));
            r.driver.submit(0, h);
            Used u = r.driver.waitUsed(0);
            assertEquals(h, u.id());
            assertEquals(0, u.len());
            assertEquals(0, r.errors().total(), "zero-length buffers are not checked against RAM");
            r.assertServesGoodRequests();
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void manyBadRequestsAreLoggedOnceButAllCounted(boolean async) {
        try (EchoRig r = rig(async)) {
            for (int i = 0; i < 20; i++) {
                int h = r.driver.chain(0, Buf.in(0x10, 4));
                r.driver.submit(0, h);
                assertEquals(0, r.driver.waitUsed(0).len());
            }
            assertEquals(20, r.errors().count(VirtioError.DESC_OUT_OF_RAM));
            r.assertServesGoodRequests();
        }
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void brokenQueueServesNothingUntilReset(boolean async) {
        try (EchoRig r = rig(async)) {
            r.driver.submit(0, 99);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((r.driver.status() & NEEDS_RESET) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long b = okBuf(r);
            r.driver.submit(0, r.driver.chain(0, Buf.in(b, 4), Buf.out(b + 8, 4)));
            assertNull(r.driver.waitUsed(0, Duration.ofMillis(100)), "a broken ring is not touched");
            assertNeedsResetThenRecovers(r, VirtioError.BAD_HEAD_INDEX);
        }
    }
}
