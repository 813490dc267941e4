package hv.devices.virtio;

import hv.devices.testing.MemoryState;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static hv.devices.testing.MockVirtioDriver.ACKNOWLEDGE;
import static hv.devices.testing.MockVirtioDriver.DRIVER;
import static hv.devices.testing.MockVirtioDriver.DRIVER_OK;
import static hv.devices.testing.MockVirtioDriver.FEATURES_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The virtio-mmio register interface, virtio 1.2 section 4.2.2, driven like a driver would. */
class VirtioMmioTransportTest {

    @Test
    void identificationRegisters() {
        try (EchoRig r = new EchoRig(false)) {
            assertEquals(0x74726976, r.driver.reg(0x000), "magic 'virt'");
            assertEquals(2, r.driver.reg(0x004), "version 2 (modern)");
            assertEquals(0x7e57, r.driver.reg(0x008));
            assertNotEquals(0, r.driver.reg(0x00c));
            assertEquals(0, r.transport.read(0x000, 2), "control registers are 32-bit only");
            assertEquals(-1, r.driver.reg(0x0b0), "no shared memory region: length -1");
            assertEquals(-1, r.driver.reg(0x0b4));
        }
    }

    @Test
    void featuresAreOfferedThroughSelectorsIncludingTransportBits() {
        try (EchoRig r = new EchoRig(false)) {
            long f = r.driver.deviceFeatures();
            assertEquals(1L << 3, f & 0xffffff, "device-type bit");
            assertTrue((f & VirtioFeatures.VERSION_1) != 0);
            assertTrue((f & VirtioFeatures.RING_INDIRECT_DESC) != 0);
            assertTrue((f & VirtioFeatures.RING_EVENT_IDX) != 0);
            r.driver.reg(0x14, 2);
            assertEquals(0, r.driver.reg(0x10), "no features beyond bit 63");
        }
    }

    @Test
    void negotiationAcceptsOfferedSubsetWithVersion1() {
        try (EchoRig r = new EchoRig(false)) {
            assertTrue(r.driver.negotiate(VirtioFeatures.VERSION_1 | (1L << 3)));
            assertEquals(VirtioFeatures.VERSION_1 | (1L << 3), r.transport.negotiatedFeatures());
            r.driver.setupQueue(0, 8);
            r.driver.driverOk();
            assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK, r.driver.status());
            assertEquals(VirtioFeatures.VERSION_1 | (1L << 3), r.device.activatedWith);
        }
    }

    @Test
    void featuresOkIsRefusedForUnofferedFeaturesOrMissingVersion1() {
        try (EchoRig r = new EchoRig(false)) {
            assertFalse(r.driver.negotiate(VirtioFeatures.VERSION_1 | (1L << 5)), "bit 5 not offered");
            assertFalse(r.driver.negotiate(1L << 3), "legacy (no VERSION_1) refused");
            assertEquals(2, r.errors().count(VirtioError.FEATURES_REJECTED));
            assertTrue(r.driver.negotiate(VirtioFeatures.VERSION_1), "a correct retry works");
            r.driver.setupQueue(0, 8);
            r.driver.driverOk();
            r.assertServesGoodRequests();
        }
    }

    @Test
    void statusStateMachineRefusesSkippedSteps() {
        try (EchoRig r = new EchoRig(false)) {
            r.driver.reset();
            r.driver.reg(0x70, ACKNOWLEDGE | DRIVER | DRIVER_OK);
            assertEquals(0, r.driver.status() & DRIVER_OK, "DRIVER_OK needs FEATURES_OK");
            r.driver.reg(0x70, ACKNOWLEDGE);
            assertEquals(ACKNOWLEDGE | DRIVER, r.driver.status(), "clearing bits is ignored");
            assertTrue(r.errors().count(VirtioError.STATUS_INVALID) >= 2);
            assertEquals(-1, r.device.activatedWith, "device never activated");
            r.up();
            r.assertServesGoodRequests();
        }
    }

    @Test
    void queueRegistersAndReadyReadBack() {
        try (EchoRig r = new EchoRig(false)) {
            r.driver.initialize(VirtioFeatures.TRANSPORT_OFFERED);
            r.driver.reg(0x30, 0);
            assertEquals(EchoDevice.QUEUE_MAX, r.driver.reg(0x34));
            r.driver.reg(0x30, 1);
            assertEquals(0, r.driver.reg(0x34), "queue 1 does not exist");
            r.driver.reg(0x30, -1);
            assertEquals(0, r.driver.reg(0x34), "a huge selector is no queue either");
            r.driver.setupQueue(0, 4);
            assertEquals(1, r.driver.reg(0x44));
            r.driver.reg(0x44, 0);
            assertEquals(0, r.driver.reg(0x44), "QueueReady 0 disables (Linux vm_del_vq checks it)");
        }
    }

    @Test
    void usedBufferInterruptAndAcknowledge() {
        try (EchoRig r = new EchoRig(false).up()) {
            assertFalse(r.line.isHigh());
            r.assertServesGoodRequests();
            assertTrue(r.line.isHigh());
            assertEquals(1, r.driver.reg(0x60) & 1);
            r.driver.reg(0x64, 1);
            assertEquals(0, r.driver.reg(0x60));
            assertFalse(r.line.isHigh());
        }
    }

    @Test
    void noInterruptFlagSuppressesInterruptsWithoutEventIdx() {
        try (EchoRig r = new EchoRig(false).up(VirtioFeatures.VERSION_1, 8)) {
            r.ram.put(r.driver.queue(0).avail, new byte[]{1, 0}); // VIRTQ_AVAIL_F_NO_INTERRUPT
            r.assertServesGoodRequests();
            assertFalse(r.line.isHigh());
            r.ram.put(r.driver.queue(0).avail, new byte[]{0, 0});
            r.assertServesGoodRequests();
            assertTrue(r.line.isHigh());
        }
    }

    @Test
    void eventIdxSuppressesUntilUsedEventIsReached() {
        try (EchoRig r = new EchoRig(false).up()) {
            MockVirtioDriver d = r.driver;
            // used_event = 5: no interrupt for the first completions (2.7.10)
            d.ram().put(d.queue(0).avail + 4 + 2 * 8, new byte[]{5, 0});
            long buf = d.alloc(16, 8);
            for (int i = 0; i < 3; i++) {
                d.submit(0, d.chain(0, Buf.in(buf, 4), Buf.out(buf + 8, 4)));
                d.ram().put(d.queue(0).avail + 4 + 2 * 8, new byte[]{5, 0});
            }
            assertEquals(3, d.usedIdx(0));
            assertFalse(r.line.isHigh(), "used_event 5 not crossed yet");
            for (int i = 0; i < 3; i++) {
                d.submit(0, d.chain(0, Buf.in(buf, 4), Buf.out(buf + 8, 4)));
            }
            assertTrue(r.line.isHigh(), "crossing used_event interrupts");
            // The device publishes avail_event so the driver knows when to notify.
            byte[] ae = d.ram().get(d.queue(0).used + 4 + 8 * 8, 2);
            assertEquals(6, ae[0]);
        }
    }

    @Test
    void configSpaceAndGeneration() {
        try (EchoRig r = new EchoRig(false).up()) {
            assertEquals(0xcafe_f00dL, r.driver.config(0, 4));
            assertEquals(0x0dL, r.driver.config(0, 1));
            assertEquals(0x1234_5678_cafe_f00dL, r.driver.config(0, 8));
            assertEquals(0, r.driver.config(8, 4), "beyond the config space reads 0");
            int gen = r.driver.configGeneration();
            r.transport.write(0x104, 4, 0x55);
            assertEquals(0x55, r.driver.config(4, 4));
            assertNotEquals(gen, r.driver.configGeneration());
            assertEquals(2, r.driver.reg(0x60) & 2, "configuration change interrupt");
        }
    }

    @Test
    void resetClearsEverythingAndStatusReadsZeroOnlyWhenTheDeviceIsQuiet() {
        try (EchoRig r = new EchoRig(true).up()) {
            r.assertServesGoodRequests();
            r.driver.reset();
            assertEquals(0, r.driver.status());
            assertEquals(0, r.driver.reg(0x60));
            assertFalse(r.line.isHigh());
            r.driver.reg(0x30, 0);
            assertEquals(0, r.driver.reg(0x44), "queue disabled by reset");
            assertEquals(0, r.transport.negotiatedFeatures());
            r.up();
            r.assertServesGoodRequests();
        }
    }

    @Test
    void aDeviceThatThrowsIsMarkedNeedsResetAndHvCarriesOn() {
        try (EchoRig r = new EchoRig(false).up()) {
            r.device.throwOnNotify = true;
            r.driver.notify(0);
            assertTrue((r.driver.status() & MockVirtioDriver.NEEDS_RESET) != 0);
            assertEquals(1, r.errors().count(VirtioError.DEVICE_FAILURE));
            assertTrue((r.driver.reg(0x60) & 2) != 0, "driver told via config interrupt");
            r.device.throwOnNotify = false;
            r.recover();
            r.assertServesGoodRequests();
        }
    }

    @Test
    void stateSaveAndRestoreContinuesTheRings() throws Exception {
        try (EchoRig r = new EchoRig(false).up()) {
            r.assertServesGoodRequests();
            MemoryState s = new MemoryState();
            r.transport.saveState(s);
            // A second transport over the same RAM takes over, as after a migration.
            EchoDevice d2 = new EchoDevice(false);
            VirtioMmioTransport t2 = new VirtioMmioTransport("echo1", d2, r.ram, r.line, System.getLogger("t"));
            t2.restoreState(s.reader(), 1);
            assertEquals(r.transport.status(), t2.status());
            assertEquals(r.transport.negotiatedFeatures(), d2.activatedWith);
            long in = r.driver.alloc(4, 8);
            long out = r.driver.alloc(4, 8);
            r.ram.put(in, new byte[]{9, 8, 7, 6});
            int head = r.driver.chain(0, Buf.in(in, 4), Buf.out(out, 4));
            r.driver.makeAvailable(0, head);
            t2.write(0x50, 4, 0);
            MockVirtioDriver.Used u = r.driver.waitUsed(0);
            assertNotNull(u);
            assertEquals(head, u.id());
            assertEquals(4, u.len());
        }
    }

    @Test
    void randomRegisterTrafficNeverThrows() {
        try (EchoRig r = new EchoRig(false).up()) {
            long seed = System.nanoTime();
            Random rnd = new Random(seed);
            int[] sizes = {1, 2, 4, 8, 3};
            try {
                for (int i = 0; i < 20_000; i++) {
                    long off = rnd.nextInt(0x200);
                    int size = sizes[rnd.nextInt(sizes.length)];
                    if (rnd.nextBoolean()) {
                        r.transport.read(off, size);
                    } else if (off != 0x70 || rnd.nextInt(8) == 0) {
                        r.transport.write(off, size, rnd.nextLong());
                    }
                }
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
            r.recover();
            r.assertServesGoodRequests();
        }
    }
}
