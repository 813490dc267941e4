package hv.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static hv.it.LauncherAssertions.assertBadInput;
import static hv.it.LauncherAssertions.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad snapshot files, migration streams and control addresses through the real launcher: one
 * {@code hv:} line naming the problem, exit 3 (bad input) or 2 (usage), never a stack trace.
 * (Every corruption case of the format itself: hv.hosts' SnapshotFormatTest.)
 */
class SnapshotBadInputTest {

    @Test
    void restoreFromAMissingFile(@TempDir Path dir) {
        Path f = dir.resolve("nothing.hvsnap");
        assertBadInput(Hv.run("run", "--restore", f.toString()), "no such file");
    }

    @Test
    void restoreFromSomethingElse(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("notes.txt"), "not a snapshot at all\n");
        assertBadInput(Hv.run("run", "--restore", f.toString()), "not an HV snapshot");
    }

    @Test
    void restoreFromATruncatedFileAndAnotherFormatVersion(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("cut.hvsnap");
        Files.write(cut, header(1, "config-partial"));
        assertBadInput(Hv.run("run", "--restore", cut.toString()), "truncated");
        Path future = dir.resolve("future.hvsnap");
        Files.write(future, header(9, ""));
        assertBadInput(Hv.run("run", "--restore", future.toString()), "format version 9");
    }

    @Test
    void incomingStreamThatBreaksOff() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int p = port;
        CompletableFuture<Hv.Result> target = CompletableFuture.supplyAsync(() -> Hv.run("run", "--incoming", "tcp:127.0.0.1:" + p));
        byte[] stream = header("HVMIGR\r\n", 1, ""); // a migration stream that stops after its header
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write(stream);
                break; // then hang up half-way
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "hv run --incoming never listened");
                Thread.sleep(100);
            }
        }
        Hv.Result r = target.get();
        assertBadInput(r, "truncated");
    }

    @Test
    void controlClientAndAddresses(@TempDir Path dir) {
        assertBadInput(Hv.run("ctl", "--control", "unix:" + dir.resolve("none.sock"), "status"), "none.sock");
        Hv.Result bad = Hv.run("run", "--restore", "x", "--control", "udp:1");
        assertNoStackTrace(bad);
        assertEquals(3, bad.exit(), bad.toString()); // the missing file is found first
        Hv.Result usage = Hv.run("ctl", "--control", "ftp:1", "status");
        assertNoStackTrace(usage);
        assertEquals(2, usage.exit(), usage.toString());
    }

    /** A snapshot header, then the start of a section that never finishes. */
    private static byte[] header(int formatVersion, String partialSection) throws IOException {
        return header("HVSNAP\r\n", formatVersion, partialSection);
    }

    private static byte[] header(String magic, int formatVersion, String partialSection) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(magic.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(formatVersion);
        out.writeShort(3);
        out.write("dev".getBytes(StandardCharsets.US_ASCII));
        if (!partialSection.isEmpty()) {
            out.writeShort(6);
            out.write("config".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(1);
            out.writeInt(1000);
        }
        return b.toByteArray();
    }

}
