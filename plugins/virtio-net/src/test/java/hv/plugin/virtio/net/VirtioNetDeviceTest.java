package hv.plugin.virtio.net;

import hv.devices.testing.MockVirtioDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
@ParameterizedClass
@EnumSource(NicRig.Io.class)
class VirtioNetDeviceTest {
    /** Every test runs with the NIC's work on a thread of its own and on a lent vCPU thread. */
    @Parameter
    NicRig.Io io;

    private static final long VERSION_1 = 1L << 32;

    private static void waitUntil(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void offersMacStatusAndVersion1AndShowsTheMacInConfigSpace() throws Exception {
        try (NicRig r = new NicRig(",mac=52:54:00:12:34:56", io)) {
            assertEquals(1, r.driver.reg(0x008), "device id 1: network card");
            long f = r.driver.deviceFeatures();
            assertTrue((f & VirtioNetDevice.F_MAC) != 0);
            assertTrue((f & VirtioNetDevice.F_STATUS) != 0);
            assertTrue((f & VERSION_1) != 0);
            assertTrue((f & VirtioNetDevice.F_CSUM) != 0, "checksum offload offered by default");
            assertTrue((f & VirtioNetDevice.F_GUEST_CSUM) != 0);
            assertEquals(0, f & (0xfL << 11), "no host TSO/UFO");
            assertEquals(0, f & (0xfL << 7), "no guest TSO/UFO");
            assertTrue((f & VirtioNetDevice.F_MRG_RXBUF) != 0, "mergeable receive buffers offered by default");
            r.up(16);
            byte[] mac = new byte[6];
            for (int i = 0; i < 6; i++) {
                mac[i] = (byte) r.driver.config(i, 1);
            }
            assertArrayEquals(new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56}, mac);
            assertEquals(0x5452, r.driver.config(0, 2));
            assertEquals(VirtioNetDevice.S_LINK_UP, r.driver.config(6, 2), "the fake backend's link is up");
        }
    }

    @Test
    void linkChangesShowInStatusWithAConfigInterruptAndNewGeneration() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            r.driver.takeInterrupt();
            int gen = r.driver.configGeneration();
            r.backend.sink.linkChanged(false);
            assertEquals(0, r.driver.config(6, 2));
            waitUntil(() -> r.driver.configGeneration() != gen, "a new config generation (raised on the worker)");
            assertEquals(2, r.driver.takeInterrupt() & 2, "configuration change interrupt");
            int gen2 = r.driver.configGeneration();
            r.backend.sink.linkChanged(true);
            assertEquals(VirtioNetDevice.S_LINK_UP, r.driver.config(6, 2));
            waitUntil(() -> r.driver.configGeneration() != gen2, "a new config generation");
            assertEquals(2, r.driver.takeInterrupt() & 2);
            assertEquals(2, r.nic.counters().get("link_changes") - 1, "up at open, down, up");
        }
    }

    /**
     * A restore puts back the interrupt status the guest had (here none), but the link is this
     * side's backend's (here down since the save): the restored NIC raises a configuration change,
     * so the driver reads the status again instead of believing the link it saw before.
     */
    @Test
    void aRestoredNicTellsTheDriverToRereadTheLinkStatus() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            waitUntil(() -> r.driver.takeInterrupt() == 0, "no interrupt pending before the save");
            int genSaved = r.driver.configGeneration();
            hv.devices.testing.MemoryState saved = new hv.devices.testing.MemoryState();
            r.device.pause();
            r.device.saveState(saved);
            r.device.resume();
            r.backend.sink.linkChanged(false);
            waitUntil(() -> (r.driver.takeInterrupt() & 2) != 0, "the link-down interrupt");
            r.device.pause();
            // The ISR and the generation are the saved ones (nothing pending, genSaved) ...
            r.device.restoreState(saved.reader(), r.device.stateVersion());
            r.device.resume();
            // ... then the NIC's configuration change moves the generation on from the saved one.
            waitUntil(() -> r.driver.configGeneration() != genSaved, "a new config generation after the restore");
            assertEquals(2, r.driver.takeInterrupt() & 2, "a configuration change interrupt after the restore");
            assertEquals(0, r.driver.config(6, 2), "the status the driver re-reads: this backend's link is down");
        }
    }

    /**
     * While the device is paused (its state being written), a link change from the backend's
     * thread changes neither the interrupt status nor the config generation; both follow on resume.
     */
    @Test
    void aLinkChangeWhilePausedWaitsForTheResume() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            waitUntil(() -> r.driver.takeInterrupt() == 0, "no interrupt pending");
            int gen = r.driver.configGeneration();
            r.device.pause();
            r.backend.sink.linkChanged(false);
            Thread.sleep(50);
            assertEquals(gen, r.driver.configGeneration(), "no config change while paused");
            assertEquals(0, r.driver.reg(0x60), "no interrupt status while paused");
            r.device.resume();
            waitUntil(() -> r.driver.configGeneration() != gen, "the config change after the resume");
            assertEquals(2, r.driver.takeInterrupt() & 2);
        }
    }

    @Test
    void transmitSendsTheFrameWithoutItsHeaderAndCompletesTheChain() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            for (int i = 0; i < 40; i++) {
                byte[] f = NicRig.frame(60 + i * 37, i);
                int head = r.transmit(f, 0, 0);
                MockVirtioDriver.Used u = r.driver.waitUsed(VirtioNetDevice.TX_QUEUE);
                assertNotNull(u);
                assertEquals(head, u.id());
                assertEquals(0, u.len(), "nothing written into a transmit buffer");
                byte[] out = r.backend.sent.poll(5, TimeUnit.SECONDS);
                assertArrayEquals(f, out);
            }
            assertEquals(40L, r.nic.counters().get("tx_frames"));
        }
    }

    @Test
    void transmitRequestsAskingForOffloadsOrOfImpossibleSizeAreDroppedButCompleted() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16, ~VirtioNetDevice.F_CSUM); // NEEDS_CSUM is then not allowed
            r.transmit(NicRig.frame(100, 1), VirtioNetHeader.F_NEEDS_CSUM, 0);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            r.transmit(NicRig.frame(100, 2), 0, 1 /* GSO_TCPV4 */);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            r.transmit(new byte[10], 0, 0);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            byte[] good = NicRig.frame(64, 3);
            r.transmit(good, 0, 0);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            assertArrayEquals(good, r.backend.sent.poll(5, TimeUnit.SECONDS), "only the good frame went out");
            assertNull(r.backend.sent.poll());
            assertEquals(2L, r.nic.counters().get("tx_bad_header"));
            assertEquals(1L, r.nic.counters().get("tx_bad_length"));
            assertEquals(3L, r.device.transport().errors().count(hv.devices.virtio.VirtioError.BAD_REQUEST));
        }
    }

    @Test
    void withCsumTheDeviceCompletesTheChecksumAndRefusesABadPosition() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            byte[] f = Packets.ipv4(false, 200);
            int l4len = f.length - 34;
            int pseudo = Packets.sum16(f, 26, 34, 0);
            pseudo = Packets.sum16(new byte[] {0, 17, (byte) (l4len >>> 8), (byte) l4len}, 0, 4, pseudo);
            Packets.put16(f, 40, pseudo); // the partial checksum a driver leaves with NEEDS_CSUM
            r.transmitWithChecksum(f, 34, 6);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            byte[] out = r.backend.sent.poll(5, TimeUnit.SECONDS);
            assertNotNull(out);
            assertTrue(Packets.ipv4TransportOk(out), "the frame on the wire carries a complete UDP checksum");
            r.transmitWithChecksum(f, f.length - 1, 6);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            waitUntil(() -> r.nic.counters().get("tx_bad_header") == 1, "bad csum position counted");
            assertNull(r.backend.sent.poll(100, TimeUnit.MILLISECONDS));
            assertEquals(1L, r.nic.counters().get("tx_checksummed"));
        }
    }

    @Test
    void withGuestCsumReceivedFramesThatVerifyAreMarkedDataValid() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            byte[] good = Packets.ipv4(true, 300);
            byte[] bad = Packets.ipv4(true, 300);
            bad[100] ^= 4;
            assertEquals(VirtioNetHeader.F_DATA_VALID, receiveFlags(r, good));
            assertEquals(0, receiveFlags(r, bad), "a corrupt frame goes up unmarked: the guest's own check drops it");
            assertEquals(0, receiveFlags(r, NicRig.frame(100, 1)), "not an IP packet");
        }
        try (NicRig r = new NicRig("", io)) {
            r.up(16, ~VirtioNetDevice.F_GUEST_CSUM);
            assertEquals(0, receiveFlags(r, Packets.ipv4(true, 300)), "never DATA_VALID without GUEST_CSUM");
        }
        try (NicRig r = new NicRig(",csum=off", io)) {
            long f = r.driver.deviceFeatures();
            assertEquals(0, f & (VirtioNetDevice.F_CSUM | VirtioNetDevice.F_GUEST_CSUM), "csum=off offers neither");
        }
    }

    private static int receiveFlags(NicRig r, byte[] frame) {
        long buf = r.postRx(1526);
        assertTrue(r.backend.sink.offer(ByteBuffer.wrap(frame)));
        assertNotNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE));
        assertArrayEquals(frame, r.ram.get(buf + 12, frame.length));
        return r.ram.get(buf, 1)[0];
    }

    @Test
    void aBackendThatRefusesCountsDropsAndTheGuestKeepsGoing() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            r.backend.acceptSends = false;
            r.transmit(NicRig.frame(64, 1), 0, 0);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            waitUntil(() -> r.nic.counters().get("tx_dropped") == 1, "tx_dropped");
        }
    }

    @Test
    void receivedFramesLandInGuestBuffersWithAHeader() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16, ~VirtioNetDevice.F_MRG_RXBUF);
            for (int i = 0; i < 40; i++) {
                long buf = r.postRx(1526);
                byte[] f = NicRig.frame(60 + i * 36, i);
                assertTrue(r.backend.sink.offer(ByteBuffer.wrap(f)));
                MockVirtioDriver.Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
                assertNotNull(u, "frame " + i + " not delivered");
                assertEquals(12 + f.length, u.len());
                ByteBuffer h = ByteBuffer.wrap(r.ram.get(buf, 12)).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(0, h.get(0), "flags");
                assertEquals(0, h.get(1), "gso_type NONE");
                assertEquals(1, h.getShort(10), "num_buffers is 1 without MRG_RXBUF (5.1.6.4.1)");
                assertArrayEquals(f, r.ram.get(buf + 12, f.length));
            }
            assertEquals(40L, r.nic.counters().get("rx_frames"));
        }
    }

    @Test
    void framesArrivingBeforeTheDriverIsUpAreDroppedNotQueued() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            assertTrue(r.backend.sink.offer(ByteBuffer.wrap(NicRig.frame(60, 1))), "dropped, not refused: the backend keeps reading");
            assertEquals(1L, r.nic.counters().get("rx_dropped_no_driver"));
            r.up(16);
            long buf = r.postRx(1526);
            byte[] f = NicRig.frame(70, 2);
            r.backend.sink.offer(ByteBuffer.wrap(f));
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE));
            assertArrayEquals(f, r.ram.get(buf + 12, 70), "the first frame after DRIVER_OK, not the stale one");
        }
    }

    @Test
    void aFrameTooBigForTheBufferIsDroppedAndTheBufferServesTheNextFrame() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16, ~VirtioNetDevice.F_MRG_RXBUF); // with it, the frame would wait for more buffers
            long buf = r.postRx(1526);
            r.backend.sink.offer(ByteBuffer.wrap(NicRig.frame(4000, 1)));
            byte[] f = NicRig.frame(1514, 2);
            r.backend.sink.offer(ByteBuffer.wrap(f));
            MockVirtioDriver.Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
            assertNotNull(u);
            assertEquals(1526, u.len());
            assertArrayEquals(f, r.ram.get(buf + 12, 1514));
            assertEquals(1L, r.nic.counters().get("rx_dropped_too_big"));
            assertNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE, Duration.ofMillis(50)), "no empty completion for the dropped frame");
        }
    }

    /**
     * The guest posts no receive buffers while frames keep coming: the NIC queues up to its
     * bound, then refuses (the backend must pause), never growing further; once the guest posts
     * buffers the queued frames flow in order and the backend is told to resume.
     */
    @Test
    void noGuestBuffersMeansBoundedQueueingThenBackpressureThenResume() throws Exception {
        try (NicRig r = new NicRig(",rx-queue=16", io)) {
            r.up(64);
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < 100; i++) {
                if (r.backend.sink.offer(ByteBuffer.wrap(NicRig.frame(100, i)))) {
                    accepted++;
                } else {
                    refused++;
                }
            }
            assertEquals(16, accepted, "exactly the queue's capacity is held");
            assertEquals(84, refused);
            assertEquals(84L, r.nic.counters().get("rx_dropped_queue_full"));
            assertEquals(0, r.backend.resumes.get());
            long[] bufs = new long[16];
            for (int i = 0; i < 16; i++) {
                bufs[i] = r.postRx(1526);
            }
            for (int i = 0; i < 16; i++) {
                MockVirtioDriver.Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
                assertNotNull(u, "queued frame " + i);
                assertEquals((byte) i, r.ram.get(bufs[i] + 12 + 11, 1)[0], "frames arrive in order");
            }
            waitUntil(() -> r.backend.resumes.get() == 1, "resumeReceive after draining");
            long buf = r.postRx(1526);
            assertTrue(r.backend.sink.offer(ByteBuffer.wrap(NicRig.frame(100, 200))));
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE));
            assertEquals((byte) 200, r.ram.get(buf + 12 + 11, 1)[0]);
        }
    }

    @Test
    void resetDropsQueuedFramesAndTheNicComesBackUp() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            r.backend.sink.offer(ByteBuffer.wrap(NicRig.frame(80, 1)));
            r.up(16); // resets (status 0, waits for it) and brings the device up again
            long buf = r.postRx(1526);
            byte[] f = NicRig.frame(90, 9);
            r.backend.sink.offer(ByteBuffer.wrap(f));
            MockVirtioDriver.Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
            assertNotNull(u);
            assertArrayEquals(f, r.ram.get(buf + 12, 90), "the frame from before the reset was dropped");
            byte[] t = NicRig.frame(64, 5);
            r.transmit(t, 0, 0);
            assertNotNull(r.driver.waitUsed(VirtioNetDevice.TX_QUEUE));
            assertArrayEquals(t, r.backend.sent.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeClosesTheBackend() throws Exception {
        NicRig r = new NicRig("", io);
        r.close();
        assertTrue(r.backend.closed);
        assertFalse(Arrays.asList(r.backend.options.asMap().keySet().toArray()).contains("net"));
    }
}
