package hv.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * carry traffic again. All traffic stays on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkGuestsTest {
    static final String READY = "HV-GUEST-READY";
    static final String H_SWITCH_MAC = "52:54:00:00:01:01";
    static final String Q_SWITCH_MAC = "52:54:00:00:01:02";
    static final String H_STREAM_MAC = "52:54:00:00:02:01";
    static final String Q_STREAM_MAC = "52:54:00:00:02:02";
    static final String H_DGRAM_MAC = "52:54:00:00:03:01";
    static final String Q_DGRAM_MAC = "52:54:00:00:03:02";
    /** Brings up the interface with MAC $1 as address $2 and prints its name (NIC order is the kernel's business). */
    static final String UP_FN = "up() { for d in /sys/class/net/*; do if [ \"$(cat $d/address)\" = \"$1\" ]; then "
            + "ip addr add $2 dev ${d##*/} && ip link set ${d##*/} up && echo IF=${d##*/}; fi; done; }";

    int switchPort;
    int streamPort;
    int udpH;
    int udpQ;
    Process hvSwitch;
    Path switchErr;
    GuestSession h;
    GuestSession q;
    String hSwitchIf;
    String hStreamIf;

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Process startSwitch() throws Exception {
        switchErr = Files.createTempFile("hv-it-switch", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(BuildImage.root().resolve("hv").toString(), "switch", "--listen", "127.0.0.1:" + switchPort)
                .redirectError(switchErr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HV_SKIP_BUILD", "1");
        Process p = pb.start();
        waitFor(() -> read(switchErr).contains("listening on"), 60, "hv switch never listened: " + read(switchErr));
        return p;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what);
            }
            Thread.sleep(100);
        }
    }

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
        s.command(UP_FN, 30);
        s.command("up " + Q_SWITCH_MAC + " 10.0.1.2/24; up " + Q_STREAM_MAC + " 10.0.2.2/24; up " + Q_DGRAM_MAC + " 10.0.3.2/24", 30);
        return s;
    }

    @BeforeAll
    void bootBothGuests() throws Exception {
        switchPort = freeTcpPort();
        streamPort = freeTcpPort();
        udpH = freeUdpPort();
        udpQ = freeUdpPort();
        hvSwitch = startSwitch();
        h = GuestSession.start("--kernel", LinuxBootTest.guest("Image").toString(), "--initrd", LinuxBootTest.guest("initramfs.cpio.gz").toString(),
                "--append", "console=ttyS0 quiet", "--cpus", "1", "--memory", "256M", "--name", "net-it",
                "--net", "switch,connect=127.0.0.1:" + switchPort + ",mac=" + H_SWITCH_MAC + ",backoff-max=1000",
                "--net", "stream,listen=127.0.0.1:" + streamPort + ",mac=" + H_STREAM_MAC,
                "--net", "dgram,local=127.0.0.1:" + udpH + ",remote=127.0.0.1:" + udpQ + ",mac=" + H_DGRAM_MAC);
        // QEMU 7.2 dials its stream netdev once, at start: H's listening socket must be up first
        // (HV opens its backends before the guest boots and logs each NIC).
        waitFor(() -> h.stderr().contains("stream(listen="), 60, "HV did not open its stream NIC:\n" + h.stderr());
        q = startQemu();
        h.expect(READY, LinuxBootTest.BOOT_TIMEOUT);
        h.command(UP_FN, 30);
        String ifs = h.command("up " + H_SWITCH_MAC + " 10.0.1.1/24; up " + H_STREAM_MAC + " 10.0.2.1/24; up " + H_DGRAM_MAC + " 10.0.3.1/24", 30);
        List<String> names = ifs.lines().filter(l -> l.startsWith("IF=")).map(l -> l.substring(3).strip()).toList();
        assertEquals(3, names.size(), "HV guest must show three NICs with the given MACs:\n" + ifs);
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
            hvSwitch.destroy();
            hvSwitch.waitFor(10, TimeUnit.SECONDS);
            hvSwitch.destroyForcibly();
        }
    }

    static void assertNoLoss(String pingOutput, int count) {
        assertTrue(pingOutput.contains(count + " packets transmitted, " + count + " packets received, 0% packet loss"),
                "expected " + count + " pings without loss:\n" + pingOutput);
    }

    @Test
    @Order(1)
    void qemuGuestPingsHvGuestThroughTheSwitch() throws Exception {
        q.command("ping -c 1 -W 5 10.0.1.1 >/dev/null", 30); // ARP warm-up
        assertNoLoss(q.command("ping -c 20 -i 0.2 10.0.1.1", 120), 20);
    }

    @Test
    @Order(2)
    void hvGuestPingsQemuGuestThroughTheSwitch() throws Exception {
        h.command("ping -c 1 -W 5 10.0.1.2 >/dev/null", 60);
        assertNoLoss(h.command("ping -c 20 -i 0.2 10.0.1.2", 180), 20);
    }

    @Test
    @Order(3)
    void sixteenMegabytesCrossTheSwitchIntact() throws Exception {
        h.send("nc -l -p 5000 > /tmp/received; sha256sum /tmp/received | cut -c1-64 > /tmp/received.sum; echo RECEIVED-$((6*7))");
        Thread.sleep(1000);
        String sent = q.command("dd if=/dev/urandom of=/tmp/sent bs=1M count=16 2>/dev/null; sha256sum /tmp/sent | cut -c1-64", 120).strip();
        long t0 = System.nanoTime();
        q.command("nc 10.0.1.1 5000 < /tmp/sent", 600);
        h.expect("RECEIVED-42", 600);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String received = h.command("cat /tmp/received.sum", 30).strip();
        assertEquals(sent, received, "sha256 of the 16 MiB on both sides");
        System.err.printf("NetworkGuestsTest: 16 MiB QEMU -> HV through hv switch in %.1f s (%.1f Mbit/s)%n", seconds, 16 * 8.388608 / seconds);
    }

    @Test
    @Order(4)
    void aDirectStreamCableCarriesTraffic() throws Exception {
        q.command("ping -c 1 -W 5 10.0.2.1 >/dev/null", 30);
        assertNoLoss(q.command("ping -c 20 -i 0.2 10.0.2.1", 120), 20);
    }

    @Test
    @Order(5)
    void aDgramCableCarriesTraffic() throws Exception {
        q.command("ping -c 1 -W 5 10.0.3.1 >/dev/null", 30);
        assertNoLoss(q.command("ping -c 20 -i 0.2 10.0.3.1", 120), 20);
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
        hvSwitch.destroyForcibly();
        hvSwitch.waitFor(10, TimeUnit.SECONDS);
        waitFor(() -> carrier(hStreamIf).equals("0") && carrier(hSwitchIf).equals("0"), 60,
                "H's links did not go down: stream=" + carrier(hStreamIf) + " switch=" + carrier(hSwitchIf));
        hvSwitch = startSwitch();
        waitFor(() -> carrier(hSwitchIf).equals("1"), 60, "H did not rejoin the restarted switch");
        q = startQemu();
        waitFor(() -> carrier(hStreamIf).equals("1"), 60, "H's stream link did not come back with the new peer");
        q.command("ping -c 1 -W 5 10.0.2.1 >/dev/null", 30);
        assertNoLoss(q.command("ping -c 10 -i 0.2 10.0.2.1", 120), 10);
        q.command("ping -c 1 -W 5 10.0.1.1 >/dev/null", 30);
        assertNoLoss(q.command("ping -c 10 -i 0.2 10.0.1.1", 120), 10);
    }

    String carrier(String iface) {
        try {
            return h.command("cat /sys/class/net/" + iface + "/carrier 2>/dev/null || echo 0", 30).strip();
        } catch (IOException e) {
            return "?";
        }
    }

}
