package hv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static hv.it.GuestNetworking.READY;
import static hv.it.GuestNetworking.bringUp;
import static hv.it.GuestNetworking.freeTcpPort;
import static hv.it.GuestNetworking.freeUdpPort;
import static hv.it.GuestNetworking.hvGuestArgs;
import static hv.it.GuestNetworking.pingWithoutLoss;
import static hv.it.GuestNetworking.transferIntact;
import static hv.it.GuestNetworking.waitFor;

/**
 * Issue 7 in real guests: an HV Linux guest (H) and a QEMU Linux guest (Q, Debian's
 * qemu-system-riscv64) cabled three ways at once, one NIC each per cable:
 * <ul>
 *   <li>both on an {@code hv switch} (10.0.1.0/24),</li>
 *   <li>a direct {@code stream} cable, H listening, Q's {@code -netdev stream} connecting (10.0.2.0/24),</li>
 *   <li>a {@code dgram} cable (10.0.3.0/24).</li>
 * </ul>
 * One boot of each guest serves every test (an HV boot is slow), so the tests run in order; the
 * last one kills Q and the switch mid-transfer and checks that H's links go down, come back, and
 * carry traffic again. All traffic stays on loopback. {@link HvPairNetworkTest} does the same
 * with two HV guests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkGuestsTest {
    static final String H_SWITCH_MAC = "52:54:00:00:01:01";
    static final String Q_SWITCH_MAC = "52:54:00:00:01:02";
    static final String H_STREAM_MAC = "52:54:00:00:02:01";
    static final String Q_STREAM_MAC = "52:54:00:00:02:02";
    static final String H_DGRAM_MAC = "52:54:00:00:03:01";
    static final String Q_DGRAM_MAC = "52:54:00:00:03:02";

    int switchPort;
    int streamPort;
    int udpH;
    int udpQ;
    SwitchProcess hvSwitch;
    GuestSession h;
    GuestSession q;
    String hSwitchIf;
    String hStreamIf;

    GuestSession startQemu() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-riscv64", "-M", "virt", "-m", "256", "-nographic", "-monitor", "none",
                "-serial", "stdio", "-kernel", LinuxBootTest.guest("Image").toString(),
                "-initrd", LinuxBootTest.guest("initramfs.cpio.gz").toString(), "-append", "console=ttyS0 quiet",
                "-netdev", "stream,id=sw,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=" + switchPort,
                "-device", "virtio-net-device,netdev=sw,mac=" + Q_SWITCH_MAC,
                "-netdev", "stream,id=st,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=" + streamPort,
                "-device", "virtio-net-device,netdev=st,mac=" + Q_STREAM_MAC,
                "-netdev", "dgram,id=dg,local.type=inet,local.host=127.0.0.1,local.port=" + udpQ
                        + ",remote.type=inet,remote.host=127.0.0.1,remote.port=" + udpH,
                "-device", "virtio-net-device,netdev=dg,mac=" + Q_DGRAM_MAC));
        GuestSession s = GuestSession.startCommand(cmd);
        s.expect(READY, 180);
        bringUp(s, Q_SWITCH_MAC, "10.0.1.2/24", Q_STREAM_MAC, "10.0.2.2/24", Q_DGRAM_MAC, "10.0.3.2/24");
        return s;
    }

    @BeforeAll
    void bootBothGuests() throws Exception {
        switchPort = freeTcpPort();
        streamPort = freeTcpPort();
        udpH = freeUdpPort();
        udpQ = freeUdpPort();
        hvSwitch = SwitchProcess.start(switchPort);
        h = GuestSession.start(hvGuestArgs("net-it", "switch,connect=127.0.0.1:" + switchPort + ",mac=" + H_SWITCH_MAC + ",backoff-max=1000",
                "stream,listen=127.0.0.1:" + streamPort + ",mac=" + H_STREAM_MAC,
                "dgram,local=127.0.0.1:" + udpH + ",remote=127.0.0.1:" + udpQ + ",mac=" + H_DGRAM_MAC));
        // QEMU 7.2 dials its stream netdev once, at start: H's listening socket must be up first
        // (HV opens its backends before the guest boots and logs each NIC).
        waitFor(() -> h.stderr().contains("stream(listen="), 60, "HV did not open its stream NIC:\n" + h.stderr());
        q = startQemu();
        h.expect(READY, LinuxBootTest.BOOT_TIMEOUT);
        List<String> names = bringUp(h, H_SWITCH_MAC, "10.0.1.1/24", H_STREAM_MAC, "10.0.2.1/24", H_DGRAM_MAC, "10.0.3.1/24");
        hSwitchIf = names.get(0);
        hStreamIf = names.get(1);
    }

    @AfterAll
    void stop() throws Exception {
        for (GuestSession s : new GuestSession[] {h, q}) {
            if (s != null) {
                s.close();
            }
        }
        if (hvSwitch != null) {
            hvSwitch.close();
        }
    }

    @Test
    @Order(1)
    void qemuGuestPingsHvGuestThroughTheSwitch() throws Exception {
        pingWithoutLoss(q, "10.0.1.1", 20, 120);
    }

    @Test
    @Order(2)
    void hvGuestPingsQemuGuestThroughTheSwitch() throws Exception {
        pingWithoutLoss(h, "10.0.1.2", 20, 180);
    }

    @Test
    @Order(3)
    void sixteenMegabytesCrossTheSwitchIntact() throws Exception {
        double seconds = transferIntact(q, h, "10.0.1.1", 5000, 16, 600);
        GuestNetworking.reportTransfer("NetworkGuestsTest: QEMU -> HV through hv switch", 16, seconds);
    }

    @Test
    @Order(4)
    void aDirectStreamCableCarriesTraffic() throws Exception {
        pingWithoutLoss(q, "10.0.2.1", 20, 120);
    }

    @Test
    @Order(5)
    void aDgramCableCarriesTraffic() throws Exception {
        pingWithoutLoss(q, "10.0.3.1", 20, 120);
    }

    /**
     * The peers die mid-transfer (QEMU killed, the switch killed): H's stream and switch links go
     * down; a restarted switch and a new QEMU bring them up again (H redials the switch with
     * backoff; its stream side accepts the new peer) and traffic flows again on both.
     */
    @Test
    @Order(6)
    void peersKilledMidTransferThenRestartedLinksGoDownAndComeBack() throws Exception {
        h.send("nc -l -p 5001 > /dev/null &");
        q.send("dd if=/dev/zero bs=1M count=256 2>/dev/null | nc 10.0.2.1 5001 &");
        Thread.sleep(2000);
        q.close();
        hvSwitch.kill();
        waitFor(() -> carrier(hStreamIf).equals("0") && carrier(hSwitchIf).equals("0"), 60,
                "H's links did not go down: stream=" + carrier(hStreamIf) + " switch=" + carrier(hSwitchIf));
        hvSwitch.close();
        hvSwitch = SwitchProcess.start(switchPort);
        waitFor(() -> carrier(hSwitchIf).equals("1"), 60, "H did not rejoin the restarted switch");
        q = startQemu();
        waitFor(() -> carrier(hStreamIf).equals("1"), 60, "H's stream link did not come back with the new peer");
        pingWithoutLoss(q, "10.0.2.1", 10, 120);
        pingWithoutLoss(q, "10.0.1.1", 10, 120);
    }

    String carrier(String iface) {
        return GuestNetworking.carrier(h, iface);
    }

}
