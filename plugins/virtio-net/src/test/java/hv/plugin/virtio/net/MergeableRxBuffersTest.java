package hv.plugin.virtio.net;

import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import hv.devices.virtio.VirtioError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VIRTIO_NET_F_MRG_RXBUF (virtio 1.2 sections 5.1.6.3, 5.1.6.4) at the device level, driven by
 * hv.devices' mock driver: a frame spread over several receive chains with num_buffers in the
 * header, the chains completed together, waiting for buffers without delivering half a frame,
 * and drivers that lie about their buffers.
 */
@Timeout(30)
@ParameterizedClass
@EnumSource(NicRig.Io.class)
class MergeableRxBuffersTest {
    /** Every test runs with the NIC's work on a thread of its own and on a lent vCPU thread. */
    @Parameter
    NicRig.Io io;


    /** A posted receive chain: its head and where its single buffer lives. */
    record Posted(int head, long addr, int len) {
    }

    private static Posted post(NicRig r, int len) {
        long buf = r.driver.alloc(len, 8);
        int head = r.driver.chain(VirtioNetDevice.RX_QUEUE, Buf.out(buf, len));
        r.driver.submit(VirtioNetDevice.RX_QUEUE, head);
        return new Posted(head, buf, len);
    }

    private static int numBuffers(NicRig r, long headerAddr) {
        return ByteBuffer.wrap(r.ram.get(headerAddr, 12)).order(ByteOrder.LITTLE_ENDIAN).getShort(10) & 0xffff;
    }

    private static void offer(NicRig r, byte[] frame) {
        assertTrue(r.backend.sink.offer(ByteBuffer.wrap(frame)));
    }

    @Test
    void offeredByDefaultNegotiatedWhenTheDriverTakesItAndNotOfferedWhenOff() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            assertTrue((r.driver.deviceFeatures() & VirtioNetDevice.F_MRG_RXBUF) != 0);
        }
        try (NicRig r = new NicRig(",mrg-rxbuf=off", io)) {
            assertEquals(0, r.driver.deviceFeatures() & VirtioNetDevice.F_MRG_RXBUF);
            // A driver that wants it anyway does not get it: one chain per frame, num_buffers 1.
            r.up(16);
            Posted small = post(r, 1000);
            offer(r, NicRig.frame(2500, 1));
            assertNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE, Duration.ofMillis(100)), "a frame too big is dropped, not spread");
            byte[] f = NicRig.frame(500, 2);
            offer(r, f);
            Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
            assertEquals(small.head, u.id());
            assertEquals(1, numBuffers(r, small.addr));
            assertArrayEquals(f, r.ram.get(small.addr + 12, f.length));
        }
    }

    @Test
    void aFrameLargerThanOneBufferSpreadsOverSeveralWithNumBuffersAndTheRealLengths() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            Posted[] p = new Posted[4];
            for (int i = 0; i < 4; i++) {
                p[i] = post(r, 1000);
            }
            byte[] f = NicRig.frame(2500, 7); // 12 + 2500 = 2512 bytes: 1000 + 1000 + 512
            offer(r, f);
            // The three completions are published together: the first used index the driver
            // sees move is already 3 (the driver reads num_buffers and takes them all at once).
            long deadline = System.nanoTime() + 5_000_000_000L;
            int seen;
            while ((seen = r.driver.usedIdx(VirtioNetDevice.RX_QUEUE)) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(3, seen, "all of the frame's buffers appear at once");
            int[] lengths = {1000, 1000, 512};
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int i = 0; i < 3; i++) {
                Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
                assertEquals(p[i].head, u.id(), "buffers used in the order posted");
                assertEquals(lengths[i], u.len(), "used length is what was written");
                got.writeBytes(r.ram.get(p[i].addr, u.len()));
            }
            byte[] all = got.toByteArray();
            assertEquals(3, ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getShort(10), "num_buffers");
            assertArrayEquals(f, java.util.Arrays.copyOfRange(all, 12, all.length), "the frame, reassembled");
            assertEquals(1L, r.nic.counters().get("rx_merged_frames"));

            byte[] g = NicRig.frame(300, 8);
            offer(r, g);
            Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
            assertEquals(p[3].head, u.id());
            assertEquals(312, u.len());
            assertEquals(1, numBuffers(r, p[3].addr), "a frame that fits one buffer uses one");
            assertArrayEquals(g, r.ram.get(p[3].addr + 12, g.length));
        }
    }

    @Test
    void aFrameWaitsUntilEnoughBuffersArePostedAndNeverArrivesInPart() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            Posted first = post(r, 1000);
            byte[] f = NicRig.frame(2500, 3);
            offer(r, f);
            assertNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE, Duration.ofMillis(100)), "one buffer cannot take it: nothing yet");
            assertEquals(0, r.driver.usedIdx(VirtioNetDevice.RX_QUEUE));
            Posted second = post(r, 1000);
            assertNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE, Duration.ofMillis(100)), "two cannot either");
            Posted third = post(r, 2000);
            Used[] u = {r.driver.waitUsed(VirtioNetDevice.RX_QUEUE), r.driver.waitUsed(VirtioNetDevice.RX_QUEUE),
                    r.driver.waitUsed(VirtioNetDevice.RX_QUEUE)};
            assertEquals(first.head, u[0].id());
            assertEquals(second.head, u[1].id());
            assertEquals(third.head, u[2].id());
            assertEquals(512, u[2].len(), "the third buffer holds the rest, not its 2000 bytes");
            assertEquals(3, numBuffers(r, first.addr));
            assertArrayEquals(java.util.Arrays.copyOfRange(f, 988, 1988), r.ram.get(second.addr, 1000));
            assertArrayEquals(java.util.Arrays.copyOfRange(f, 1988, 2500), r.ram.get(third.addr, 512));
        }
    }

    /**
     * A driver that lies about its receive buffers: one whose descriptor claims 4 KiB beyond the
     * end of RAM, one of 2^32 - 16 bytes, one smaller than the header (5.1.6.3.1 forbids it), and a
     * header-only buffer with the rest of the chain cut into odd pieces. The bad ones come back
     * empty and counted; the frame lands whole in the good ones; the device keeps working.
     */
    @Test
    void aDriverThatLiesAboutItsBufferSizesGetsThemBackEmptyAndTheFrameLandsInTheGoodOnes() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            int q = VirtioNetDevice.RX_QUEUE;
            int beyondRam = r.driver.chain(q, Buf.out(r.ram.end() - 1024, 4096));
            r.driver.submit(q, beyondRam);
            int huge = r.driver.chain(q, Buf.out(r.driver.alloc(64, 8), 0xffff_fff0));
            r.driver.submit(q, huge);
            Posted tiny = post(r, 8);
            long hdr = r.driver.alloc(12, 8);
            long a = r.driver.alloc(7, 8);
            long b = r.driver.alloc(5, 8);
            long c = r.driver.alloc(1000, 8);
            int pieces = r.driver.chain(q, Buf.out(hdr, 12), Buf.out(a, 7), Buf.out(b, 5), Buf.out(c, 1000));
            r.driver.submit(q, pieces);
            Posted rest = post(r, 1500);

            byte[] f = NicRig.frame(1500, 9); // 12 + 1500: 1024 in the pieces, 488 in the next
            offer(r, f);
            int bad = 0;
            Used u;
            while ((u = r.driver.waitUsed(q)) != null && u.len() == 0) {
                assertTrue(u.id() == beyondRam || u.id() == huge || u.id() == tiny.head, "only the lying buffers come back empty: " + u);
                bad++;
            }
            assertEquals(3, bad, "three lying buffers given back");
            assertNotNull(u);
            assertEquals(pieces, u.id());
            assertEquals(1024, u.len());
            Used second = r.driver.waitUsed(q);
            assertEquals(rest.head, second.id());
            assertEquals(1500 + 12 - 1024, second.len());
            assertEquals(2, numBuffers(r, hdr));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.writeBytes(r.ram.get(a, 7));
            got.writeBytes(r.ram.get(b, 5));
            got.writeBytes(r.ram.get(c, 1000));
            got.writeBytes(r.ram.get(rest.addr, second.len()));
            assertArrayEquals(f, got.toByteArray());

            assertEquals(1L, r.nic.counters().get("rx_bad_buffers"), "the too-small one, counted by the NIC");
            assertEquals(2L, r.device.transport().errors().count(VirtioError.DESC_OUT_OF_RAM), "the two beyond RAM, by the transport");
            assertEquals(1L, r.device.transport().errors().count(VirtioError.BAD_REQUEST));
            assertEquals(0, r.driver.status() & 64, "no DEVICE_NEEDS_RESET: bad buffers are the driver's loss only");

            Posted after = post(r, 1526);
            byte[] g = NicRig.frame(1514, 10);
            offer(r, g);
            assertEquals(after.head, r.driver.waitUsed(q).id());
            assertArrayEquals(g, r.ram.get(after.addr + 12, g.length), "still serving");
        }
    }

    /**
     * A frame waits with the NIC holding the two receive chains it popped for it; the device is
     * paused and saved (a snapshot), and restored into a new device over a copy of the guest's RAM.
     * The restored NIC pops those two chains again: a frame that needs them and one more buffer
     * lands in all three, in the order posted, and none is missing from the guest's ring. The
     * source, resumed, does the same with the frame that was still waiting in it.
     */
    @Test
    void chainsHeldForAWaitingFrameSurviveASnapshotAndAreUsedByTheRestoredNic() throws Exception {
        try (NicRig src = new NicRig("", io); NicRig dst = new NicRig("", io)) {
            int q = VirtioNetDevice.RX_QUEUE;
            src.up(16);
            Posted first = post(src, 1000);
            Posted second = post(src, 1000);
            byte[] f = NicRig.frame(2500, 5); // 12 + 2500 bytes: 1000 + 1000 + 512
            offer(src, f);
            // EVENT_IDX: the NIC writes avail_event = its last_avail_idx once it has popped all it
            // could; 2 means it took both chains and holds them for the frame.
            long availEvent = src.driver.queue(q).used + 4 + 8L * 16;
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ByteBuffer.wrap(src.ram.get(availEvent, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort(0) != 2) {
                assertTrue(System.nanoTime() < deadline, "the NIC never popped the two chains");
                Thread.onSpinWait();
            }
            assertEquals(0, src.driver.usedIdx(q), "two buffers cannot take the frame: it waits");

            hv.devices.testing.MemoryState saved = new hv.devices.testing.MemoryState();
            src.device.pause();
            src.device.saveState(saved);

            dst.ram.put(dst.ram.base(), src.ram.get(src.ram.base(), (int) src.ram.size()));
            dst.driver.continueFrom(src.driver);
            dst.device.pause();
            dst.device.restoreState(saved.reader(), dst.device.stateVersion());
            dst.device.resume();
            deadline = System.nanoTime() + 5_000_000_000L;
            while (!dst.nic.receiving()) {
                assertTrue(System.nanoTime() < deadline, "the restored NIC never reopened its session");
                Thread.onSpinWait();
            }
            // The frame that waited in the source was not the guest's yet (lost like a frame on
            // the wire); the peer sends it again.
            offer(dst, f);
            Posted third = post(dst, 1000);
            Used[] u = {dst.driver.waitUsed(q), dst.driver.waitUsed(q), dst.driver.waitUsed(q)};
            for (Used x : u) {
                assertNotNull(x, "the restored NIC found the two chains the source held");
            }
            assertEquals(first.head, u[0].id());
            assertEquals(second.head, u[1].id());
            assertEquals(third.head, u[2].id());
            assertEquals(1000, u[0].len());
            assertEquals(1000, u[1].len());
            assertEquals(512, u[2].len());
            assertEquals(3, numBuffers(dst, first.addr));
            assertEquals(3, dst.driver.usedIdx(q), "every buffer accounted for, none completed twice");
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.writeBytes(dst.ram.get(first.addr + 12, 988));
            got.writeBytes(dst.ram.get(second.addr, 1000));
            got.writeBytes(dst.ram.get(third.addr, 512));
            assertArrayEquals(f, got.toByteArray());

            // The source goes on (a snapshot of a running VM): its frame still waits and now
            // takes the two chains given back at the pause plus a new one.
            src.device.resume();
            Posted srcThird = post(src, 1000);
            Used[] s = {src.driver.waitUsed(q), src.driver.waitUsed(q), src.driver.waitUsed(q)};
            assertNotNull(s[2], "the resumed source delivered its waiting frame");
            assertEquals(first.head, s[0].id());
            assertEquals(second.head, s[1].id());
            assertEquals(srcThird.head, s[2].id());
            assertEquals(3, numBuffers(src, first.addr));
            assertEquals(0L, src.nic.counters().get("rx_chains_kept_at_pause"));
        }
    }

    @Test
    void aFrameTheWholeRingCannotHoldIsDroppedAndTheBuffersServeTheNextFrames() throws Exception {
        try (NicRig r = new NicRig("", io)) {
            r.up(16);
            Posted[] p = new Posted[16];
            for (int i = 0; i < 16; i++) {
                p[i] = post(r, 64); // 1024 bytes in all
            }
            offer(r, NicRig.frame(1514, 1));
            assertNull(r.driver.waitUsed(VirtioNetDevice.RX_QUEUE, Duration.ofMillis(100)), "no partial frame, no empty completions");
            for (int i = 0; i < 16; i++) {
                byte[] f = NicRig.frame(52, 20 + i);
                offer(r, f);
                Used u = r.driver.waitUsed(VirtioNetDevice.RX_QUEUE);
                assertNotNull(u, "small frame " + i);
                assertEquals(p[i].head, u.id());
                assertEquals(64, u.len());
                assertArrayEquals(f, r.ram.get(p[i].addr + 12, f.length));
            }
            assertEquals(1L, r.nic.counters().get("rx_dropped_too_big"));
            assertEquals(16L, r.nic.counters().get("rx_frames"));
        }
    }
}
