package hv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static hv.it.GuestNetworking.READY;
import static hv.it.GuestNetworking.assertNoLoss;
import static hv.it.GuestNetworking.bringUp;
import static hv.it.GuestNetworking.freeTcpPort;
import static hv.it.GuestNetworking.freeUdpPort;
import static hv.it.GuestNetworking.hvGuestArgs;
import static hv.it.GuestNetworking.pingWithoutLoss;
import static hv.it.GuestNetworking.transferIntact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7 with two HV Linux guests, A and B, cabled three ways at once, each cable on its own
 * NIC and subnet (so one pair of boots, the expensive part, serves every check, and every
 * guest runs three NICs):
 * <ul>
 *   <li>both on an {@code hv switch} (10.0.4.0/24): 20 pings without loss, 16 MiB with busybox
 *       nc whose sha256 matches on both sides;</li>
 *   <li>a direct {@code stream} cable, A listening and B connecting (10.0.5.0/24);</li>
 *   <li>a direct {@code dgram} cable (10.0.6.0/24).</li>
 * </ul>
 * The direct cables also carry 1 MiB each, checked the same way. Then, a station on the switch
 * floods A with full-size frames far faster than A's guest drains them: A's HV process must not
 * buffer the flood (its memory outside guest RAM stays bounded), A's guest must keep answering
 * its console and pings on its other NIC, and the switch path works again afterwards. Last, the
 * stream cable runs jumbo frames (MTU 9000): Linux's driver negotiated VIRTIO_NET_F_MRG_RXBUF,
 * so each 9014-byte frame spreads over several of its receive buffers. All traffic stays on
 * loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HvPairNetworkTest {
    static final String A_SWITCH_MAC = "52:54:00:00:04:01";
    static final String B_SWITCH_MAC = "52:54:00:00:04:02";
    static final String A_STREAM_MAC = "52:54:00:00:05:01";
    static final String B_STREAM_MAC = "52:54:00:00:05:02";
    static final String A_DGRAM_MAC = "52:54:00:00:06:01";
    static final String B_DGRAM_MAC = "52:54:00:00:06:02";
    /** Two HV boots share the two cores: allow each twice a lone boot's time. */
    static final long PAIR_BOOT_TIMEOUT = 2 * LinuxBootTest.BOOT_TIMEOUT;

    /** Memory HV may grow by (outside guest RAM) while flooded; buffering the flood would take gigabytes. */
    static final long FLOOD_GROWTH_LIMIT_KIB = 256 * 1024;

    int switchPort;
    SwitchProcess hvSwitch;
    GuestSession a;
    GuestSession b;
    String aSwitchIf;
    String aStreamIf;
    String bStreamIf;

    @BeforeAll
    void bootThePair() throws Exception {
        switchPort = freeTcpPort();
        int streamPort = freeTcpPort();
        int udpA = freeUdpPort();
        int udpB = freeUdpPort();
        hvSwitch = SwitchProcess.start(switchPort);
        a = GuestSession.start(hvGuestArgs("pair-a",
                "switch,connect=127.0.0.1:" + switchPort + ",mac=" + A_SWITCH_MAC,
                "stream,listen=127.0.0.1:" + streamPort + ",mac=" + A_STREAM_MAC,
                "dgram,local=127.0.0.1:" + udpA + ",remote=127.0.0.1:" + udpB + ",mac=" + A_DGRAM_MAC));
        b = GuestSession.start(hvGuestArgs("pair-b",
                "switch,connect=127.0.0.1:" + switchPort + ",mac=" + B_SWITCH_MAC,
                "stream,connect=127.0.0.1:" + streamPort + ",mac=" + B_STREAM_MAC + ",backoff-max=1000",
                "dgram,local=127.0.0.1:" + udpB + ",remote=127.0.0.1:" + udpA + ",mac=" + B_DGRAM_MAC));
        a.expect(READY, PAIR_BOOT_TIMEOUT);
        b.expect(READY, PAIR_BOOT_TIMEOUT);
        List<String> aIfs = bringUp(a, A_SWITCH_MAC, "10.0.4.1/24", A_STREAM_MAC, "10.0.5.1/24", A_DGRAM_MAC, "10.0.6.1/24");
        List<String> bIfs = bringUp(b, B_SWITCH_MAC, "10.0.4.2/24", B_STREAM_MAC, "10.0.5.2/24", B_DGRAM_MAC, "10.0.6.2/24");
        assertEquals(3, aIfs.stream().distinct().count(), "three distinct NICs in A: " + aIfs);
        aSwitchIf = aIfs.get(0);
        aStreamIf = aIfs.get(1);
        bStreamIf = bIfs.get(1);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, hvSwitch}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void twentyPingsCrossTheSwitchWithoutLoss() throws Exception {
        pingWithoutLoss(a, "10.0.4.2", 20, 180);
    }

    @Test
    @Order(2)
    void sixteenMegabytesCrossTheSwitchIntact() throws Exception {
        double seconds = transferIntact(a, b, "10.0.4.2", 5000, 16, 900);
        GuestNetworking.reportTransfer("HvPairNetworkTest: HV -> HV through hv switch", 16, seconds);
    }

    @Test
    @Order(3)
    void aDirectStreamCableCarriesTraffic() throws Exception {
        pingWithoutLoss(b, "10.0.5.1", 20, 180);
        transferIntact(b, a, "10.0.5.1", 5001, 1, 300);
    }

    @Test
    @Order(4)
    void aDirectDgramCableCarriesTraffic() throws Exception {
        pingWithoutLoss(a, "10.0.6.2", 20, 180);
        transferIntact(a, b, "10.0.6.2", 5002, 1, 300);
    }

    @Test
    @Order(5)
    void aFloodFasterThanTheGuestDrainsLeavesHvMemoryBoundedAndTheGuestResponsive() throws Exception {
        long rxBefore = rxPackets(a, aSwitchIf);
        long memoryBefore = GuestNetworking.rssOutsideGuestRamKiB(a.pid(), 256);
        long peak = memoryBefore;
        long frames;
        try (FrameFlooder flood = new FrameFlooder(switchPort, FrameFlooder.mac(A_SWITCH_MAC))) {
            long start = System.nanoTime();
            Thread.sleep(3000);
            assertEquals("alive", a.command("echo alive", 120).strip(), "A's console answers during the flood");
            pingWithoutLoss(b, "10.0.5.1", 10, 180); // A's other NIC keeps working
            while (System.nanoTime() - start < 20_000_000_000L) {
                peak = Math.max(peak, GuestNetworking.rssOutsideGuestRamKiB(a.pid(), 256));
                Thread.sleep(500);
            }
            peak = Math.max(peak, GuestNetworking.rssOutsideGuestRamKiB(a.pid(), 256));
            frames = flood.framesSent();
        }
        long received = rxPackets(a, aSwitchIf) - rxBefore;
        System.err.printf("HvPairNetworkTest: flood of %d frames (%d MiB) at the switch, %d reached A's guest; "
                + "A's memory outside guest RAM %d -> peak %d KiB%n", frames, frames * 1514 >> 20, received, memoryBefore, peak);
        assertTrue(frames > 100_000, "the flood was a flood: " + frames + " frames");
        assertTrue(received > 1000, "the flood reached A's guest: " + received + " frames");
        assertTrue(peak - memoryBefore < FLOOD_GROWTH_LIMIT_KIB,
                "HV's memory outside guest RAM grew by " + (peak - memoryBefore) + " KiB under the flood");
        pingWithoutLoss(b, "10.0.4.1", 10, 180); // and the switch path to A is fine afterwards
    }

    /**
     * Jumbo frames on the stream cable: larger than any one receive buffer Linux posts, so they
     * arrive only through mergeable receive buffers (without MRG_RXBUF they would be dropped).
     */
    @Test
    @Order(6)
    void jumboFramesCrossTheStreamCableThroughMergeableReceiveBuffers() throws Exception {
        for (var guestAndIf : List.of(java.util.Map.entry(a, aStreamIf), java.util.Map.entry(b, bStreamIf))) {
            String features = guestAndIf.getKey().command("cat /sys/class/net/" + guestAndIf.getValue() + "/device/features", 30).strip();
            assertTrue(features.matches("[01]{64}"), "virtio feature bits: " + features);
            assertEquals('1', features.charAt(15), "Linux negotiated VIRTIO_NET_F_MRG_RXBUF (bit 15): " + features);
            guestAndIf.getKey().command("ip link set dev " + guestAndIf.getValue() + " mtu 9000", 30);
        }
        b.command("ping -c 1 -W 5 -s 8000 10.0.5.1 >/dev/null", 60);
        assertNoLoss(b.command("ping -c 10 -i 0.2 -s 8000 10.0.5.1", 180), "10.0.5.1", 10);
        transferIntact(b, a, "10.0.5.1", 5003, 2, 300);
    }

    static long rxPackets(GuestSession g, String iface) throws Exception {
        return Long.parseLong(g.command("cat /sys/class/net/" + iface + "/statistics/rx_packets", 60).strip());
    }
}
