package hv.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the network integration tests do inside Linux guests, through their consoles: bring up
 * NICs by MAC address, ping without loss (the output parsed, not pattern-matched), move a file
 * with busybox {@code nc} and compare its sha256 and size on both sides, read a link's carrier;
 * plus free loopback ports for the cables. Shared by {@link NetworkGuestsTest} (HV and QEMU
 * guests) and {@link HvPairNetworkTest} (two HV guests).
 */
final class GuestNetworking {
    static final String READY = "HV-GUEST-READY";
    /** Brings up the interface with MAC $1 as address $2 and prints its name (NIC order is the kernel's business). */
    static final String UP_FN = "up() { for d in /sys/class/net/*; do if [ \"$(cat $d/address)\" = \"$1\" ]; then "
            + "ip addr add $2 dev ${d##*/} && ip link set ${d##*/} up && echo IF=${d##*/}; fi; done; }";
    /** busybox ping's summary line. */
    private static final Pattern PING_SUMMARY =
            Pattern.compile("(\\d+) packets transmitted, (\\d+) packets received, (\\d+)% packet loss");
    private static final Pattern HEX_SHA256 = Pattern.compile("\\b([0-9a-f]{64})\\b");

    private GuestNetworking() {
    }

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

    static void waitFor(BooleanSupplier condition, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Gives each NIC (MAC, CIDR address pairs) its address and brings it up; returns the interface
     * names in argument order. Fails unless every MAC was found.
     */
    static List<String> bringUp(GuestSession g, String... macThenAddress) throws IOException {
        g.command(UP_FN, 30);
        StringBuilder cmd = new StringBuilder();
        for (int i = 0; i < macThenAddress.length; i += 2) {
            cmd.append(i == 0 ? "" : "; ").append("up ").append(macThenAddress[i]).append(' ').append(macThenAddress[i + 1]);
        }
        String out = g.command(cmd.toString(), 30);
        List<String> names = out.lines().filter(l -> l.startsWith("IF=")).map(l -> l.substring(3).strip()).toList();
        assertEquals(macThenAddress.length / 2, names.size(), "the guest must show one NIC per MAC given:\n" + out);
        return names;
    }

    /**
     * Checks busybox ping output: {@code count} sent, {@code count} answered by {@code peer}
     * (one reply line per sequence number), 0% loss.
     */
    static void assertNoLoss(String pingOutput, String peer, int count) {
        Matcher m = PING_SUMMARY.matcher(pingOutput);
        assertTrue(m.find(), "no ping summary in:\n" + pingOutput);
        int sent = Integer.parseInt(m.group(1));
        int received = Integer.parseInt(m.group(2));
        int loss = Integer.parseInt(m.group(3));
        assertEquals(count, sent, "pings sent:\n" + pingOutput);
        assertEquals(count, received, "pings answered:\n" + pingOutput);
        assertEquals(0, loss, "packet loss %:\n" + pingOutput);
        long replies = pingOutput.lines().filter(l -> l.contains("bytes from " + peer + ":")).map(l -> l.replaceAll(".*seq=(\\d+).*", "$1"))
                .distinct().count();
        assertEquals(count, replies, "distinct replies from " + peer + ":\n" + pingOutput);
    }

    /** One ping to fill the ARP caches, then {@code count} pings 0.2 s apart, all of which must come back. */
    static void pingWithoutLoss(GuestSession from, String peer, int count, long timeoutSeconds) throws IOException {
        from.command("ping -c 1 -W 5 " + peer + " >/dev/null", Math.min(60, timeoutSeconds));
        assertNoLoss(from.command("ping -c " + count + " -i 0.2 " + peer, timeoutSeconds), peer, count);
    }

    /** Prints a transfer's time and rate on stderr (the build log keeps it as a rough figure). */
    static void reportTransfer(String what, int mib, double seconds) {
        System.err.printf(Locale.ROOT, "%s: %d MiB in %.1f s (%.1f Mbit/s)%n", what, mib, seconds, mib * 8.388608 / seconds);
    }

    /**
     * Sends {@code mib} MiB of random data from {@code from} to {@code to} (listening on
     * {@code port} at {@code toAddress}) with busybox nc; asserts that both sides hold the same
     * number of bytes with the same sha256. Returns the transfer's seconds.
     */
    static double transferIntact(GuestSession from, GuestSession to, String toAddress, int port, int mib, long timeoutSeconds)
            throws Exception {
        String file = "/tmp/xfer" + port;
        long bytes = mib * 1048576L;
        String sentOut = from.command("dd if=/dev/urandom of=" + file + " bs=1M count=" + mib + " 2>/dev/null; sha256sum " + file
                + "; wc -c < " + file, 300);
        String sentSum = sha256In(sentOut, "sender");
        assertTrue(sentOut.lines().anyMatch(l -> l.strip().equals(Long.toString(bytes))), "sender file is not " + bytes + " bytes:\n" + sentOut);

        // The receiver runs in the background, so its shell can tell us when nc listens
        // (state 0A, LISTEN; busybox nc listens on the IPv6 wildcard, so /proc/net/tcp6)
        // before the sender dials.
        String done = "RECEIVED" + port + "-$((6*7))";
        to.send("(nc -l -p " + port + " > " + file + "; echo; sha256sum " + file + "; echo SIZE=$(wc -c < " + file + "); echo " + done + ") &");
        String listening = String.format(Locale.ROOT, ":%04X 0+:0000 0A", port);
        String state = to.command("i=0; while ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -qE '" + listening + "' && [ $i -lt 100 ]; "
                + "do sleep 0.2; i=$((i+1)); done; [ $i -lt 100 ] && echo LISTENING", 120);
        assertTrue(state.contains("LISTENING"), "the receiver's nc never listened on port " + port + ":\n" + state);
        long t0 = System.nanoTime();
        from.command("nc " + toAddress + " " + port + " < " + file, timeoutSeconds);
        String receivedOut = to.expect("RECEIVED" + port + "-42", timeoutSeconds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String receivedSum = sha256In(receivedOut, "receiver");
        assertTrue(receivedOut.contains("SIZE=" + bytes), "receiver did not get " + bytes + " bytes:\n" + receivedOut);
        assertEquals(sentSum, receivedSum, "sha256 of the " + mib + " MiB on both sides");
        return seconds;
    }

    /** The first sha256 (64 lowercase hex digits) printed in {@code output}. */
    static String sha256In(String output, String side) {
        Matcher m = HEX_SHA256.matcher(output);
        assertTrue(m.find(), "no sha256 from the " + side + ":\n" + output);
        return m.group(1);
    }

    /** The carrier of {@code iface} in {@code g} ("1" up, "0" down, "?" when the console failed). */
    static String carrier(GuestSession g, String iface) {
        try {
            return g.command("cat /sys/class/net/" + iface + "/carrier 2>/dev/null || echo 0", 30).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Boot arguments for an HV Linux guest with one {@code --net} per NIC spec. */
    static String[] hvGuestArgs(String name, String... netSpecs) {
        List<String> args = new ArrayList<>(List.of("--kernel", LinuxBootTest.guest("Image").toString(),
                "--initrd", LinuxBootTest.guest("initramfs.cpio.gz").toString(), "--append", "console=ttyS0 quiet",
                "--cpus", "1", "--memory", "256M", "--name", name));
        for (String spec : netSpecs) {
            args.add("--net");
            args.add(spec);
        }
        return args.toArray(String[]::new);
    }

    /**
     * The resident memory of process {@code pid} in KiB, leaving out the mapping that holds the
     * guest's RAM (the one of exactly {@code guestRamMiB}): what the VMM itself uses, which
     * must not grow with the traffic it carries.
     */
    static long rssOutsideGuestRamKiB(long pid, long guestRamMiB) throws IOException {
        long total = 0;
        long size = -1;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/smaps"))) {
            if (line.startsWith("Size:")) {
                size = kib(line);
            } else if (line.startsWith("Rss:") && size != guestRamMiB * 1024) {
                total += kib(line);
            }
        }
        return total;
    }

    private static long kib(String smapsLine) {
        return Long.parseLong(smapsLine.replaceAll("[^0-9]", ""));
    }
}
