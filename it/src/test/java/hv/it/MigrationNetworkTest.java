package hv.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static hv.it.GuestNetworking.READY;
import static hv.it.GuestNetworking.assertNoLoss;
import static hv.it.GuestNetworking.bringUp;
import static hv.it.GuestNetworking.freeTcpPort;
import static hv.it.GuestNetworking.hvGuestArgs;
import static hv.it.GuestNetworking.pingWithoutLoss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * virtio-net across a live migration: a Linux guest whose NIC is on an {@code hv switch} pings a
 * peer on the switch (a {@link PingStation}, so only one guest boots), a ping keeps running in
 * the guest's background while the control API ({@code hv ctl migrate}) moves the VM to a new
 * {@code hv run --incoming} process, which joins the same switch from the saved NIC spec. On the
 * target the link is up, the background ping went on answering after the move, and a fresh
 * series of pings has no loss at all. Checks the NIC's restored virtqueues (a ring index off by
 * one leaves the driver waiting forever) and its work on the vCPU threads (io=vcpu, the default)
 * across the pause.
 */
class MigrationNetworkTest {
    static final String GUEST_MAC = "52:54:00:00:07:01";
    static final String PEER_MAC = "52:54:00:00:07:02";
    static final String PEER = "10.0.7.2";
    private static final Pattern SEQ = Pattern.compile("seq=(\\d+)");

    @Test
    void aGuestPingingThroughTheSwitchIsMigratedAndPingsOnWithoutLoss() throws Exception {
        Path dir = Files.createTempDirectory("hv-it-mignet");
        Path sock = dir.resolve("source.sock");
        int switchPort = freeTcpPort();
        int migrationPort = freeTcpPort();
        try (SwitchProcess hvSwitch = SwitchProcess.start(switchPort);
             PingStation peer = new PingStation(switchPort, PEER_MAC, PEER)) {
            List<String> args = new ArrayList<>(List.of(hvGuestArgs("mig-net", "switch,connect=127.0.0.1:" + switchPort + ",mac=" + GUEST_MAC)));
            args.addAll(List.of("--control", "unix:" + sock));
            try (GuestSession source = GuestSession.start(args.toArray(String[]::new))) {
                source.expect(READY, LinuxBootTest.BOOT_TIMEOUT);
                String iface = bringUp(source, GUEST_MAC, "10.0.7.1/24").get(0);
                pingWithoutLoss(source, PEER, 10, 120);
                long repliesBefore = peer.echoReplies();
                String carrierChangesBefore = source.command("cat /sys/class/net/" + iface + "/carrier_changes", 30).strip();
                // 60 pings 0.2 s apart: they run before, during and after the move.
                source.send("ping -c 60 -i 0.2 " + PEER + " > /tmp/across.txt 2>&1 &");
                Thread.sleep(2000);

                try (GuestSession target = GuestSession.start("--incoming", "tcp:127.0.0.1:" + migrationPort)) {
                    GuestNetworking.waitFor(() -> target.stderr().contains("waiting for a migration"), 60,
                            "the target never listened: " + target.stderr());
                    Hv.Result moved = Hv.run("ctl", "--control", "unix:" + sock, "migrate", "port=" + migrationPort);
                    assertEquals(0, moved.exit(), moved.toString());
                    assertTrue(moved.out().contains("\"outcome\":\"migrated\""), moved.toString());
                    assertEquals(0, source.waitForExit(60), "the source ends once the target has the VM: " + source.stderr());

                    GuestNetworking.waitFor(() -> "1".equals(GuestNetworking.carrier(target, iface)), 60,
                            "the NIC's link on the target never came up: " + target.stderr());
                    // Whether the guest saw the link go down depends on whether the target's backend had
                    // joined the switch before the restore (the restored NIC makes the guest re-read it).
                    String carrierChangesAfter = target.command("cat /sys/class/net/" + iface + "/carrier_changes", 30).strip();
                    String across = target.command("i=0; while ! grep -q transmitted /tmp/across.txt && [ $i -lt 40 ]; do sleep 1; i=$((i+1)); done; cat /tmp/across.txt", 90);
                    assertTrue(across.contains("60 packets transmitted"), "the background ping finished:\n" + across);
                    int lastSeq = lastAnsweredSeq(across);
                    assertTrue(lastSeq >= 50, "the background ping was answered after the move, up to seq " + lastSeq + ":\n" + across);

                    pingWithoutLoss(target, PEER, 20, 120);
                    assertNoLoss(target.command("ping -c 10 -i 0.2 " + PEER, 60), PEER, 10);
                    assertTrue(peer.echoReplies() - repliesBefore >= 50 + 31,
                            "the peer answered the pings from both sides: " + (peer.echoReplies() - repliesBefore));
                    System.err.println("MigrationNetworkTest: " + moved.out().strip() + "; carrier changes " + carrierChangesBefore + " -> " + carrierChangesAfter + "; the ping across the move: "
                            + across.lines().filter(l -> l.contains("packets transmitted")).findFirst().orElse("?"));
                    target.send("poweroff -f");
                    assertEquals(0, target.waitForExit(120), target.stderr());
                }
            }
        }
    }

    private static int lastAnsweredSeq(String pingOutput) {
        int last = -1;
        for (String line : pingOutput.lines().filter(l -> l.contains("bytes from " + PEER)).toList()) {
            Matcher m = SEQ.matcher(line);
            if (m.find()) {
                last = Math.max(last, Integer.parseInt(m.group(1)));
            }
        }
        return last;
    }
}
