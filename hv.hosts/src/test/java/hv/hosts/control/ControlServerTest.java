package hv.hosts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hv.hosts.Machine;
import hv.hosts.VmOutcome;
import hv.hosts.snapshot.DirtyGuestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The control socket driving a running bare-metal guest: every command, and errors that keep the connection and the VM alive. */
class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void commandsOverAUnixSocket() throws Exception {
        Machine m = DirtyGuestAccess.boot(1_000_000);
        CompletableFuture<VmOutcome> run = DirtyGuestAccess.start(m);
        DirtyGuestAccess.awaitProgress(m, 1);
        Path sock = dir.resolve("hv.sock");
        try (ControlServer server = ControlServer.start(ControlAddress.parse("unix:" + sock), new ControlCommands(() -> m));
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            Map<?, ?> hello = (Map<?, ?>) Json.parse(in.readLine());
            assertTrue(hello.containsKey("hv"), hello.toString());

            Map<?, ?> st = ret(ask(in, out, "{\"execute\":\"status\",\"id\":\"a\"}"));
            assertEquals("running", st.get("state"));
            assertEquals(1L, st.get("harts"));
            assertTrue((Long) st.get("instret") > 0, st.toString());

            assertEquals("paused", ret(ask(in, out, "{\"execute\":\"pause\"}")).get("state"));
            long at = DirtyGuestAccess.progress(m);
            long instret = m.instret();
            Thread.sleep(50);
            assertEquals(instret, m.instret(), "a paused VM retires nothing");
            assertEquals(at, DirtyGuestAccess.progress(m));
            assertEquals("VmState", err(ask(in, out, "{\"execute\":\"pause\"}")).get("class"));

            Path snap = dir.resolve("x.hvsnap");
            Map<?, ?> saved = ret(ask(in, out, "{\"execute\":\"snapshot\",\"arguments\":{\"path\":\"" + snap + "\"}}"));
            assertEquals(Files.size(snap), saved.get("bytes"));
            assertTrue(m.paused(), "a VM the user paused stays paused across a snapshot");

            assertEquals("running", ret(ask(in, out, "{\"execute\":\"resume\"}")).get("state"));
            DirtyGuestAccess.awaitProgress(m, at + 1);
            assertEquals("VmState", err(ask(in, out, "{\"execute\":\"resume\"}")).get("class"));

            assertTrue(((String) ret(ask(in, out, "{\"execute\":\"stats\"}")).get("report")).contains("instret="));

            // Errors: each an error reply, the connection and the VM carry on.
            assertEquals("BadRequest", err(ask(in, out, "{not json")).get("class"));
            assertEquals("BadRequest", err(ask(in, out, "[1]")).get("class"));
            assertEquals("CommandNotFound", err(ask(in, out, "{\"execute\":\"reboot-the-host\"}")).get("class"));
            assertEquals("BadArgument", err(ask(in, out, "{\"execute\":\"snapshot\"}")).get("class"));
            assertEquals("BadRequest", err(ask(in, out, "x".repeat(ControlServer.MAX_LINE + 10))).get("class"));
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            Map<?, ?> failed = err(ask(in, out, "{\"execute\":\"migrate\",\"arguments\":{\"port\":" + closedPort + "}}"));
            assertEquals("MigrationFailed", failed.get("class"));
            assertEquals("running", ret(ask(in, out, "{\"execute\":\"status\"}")).get("state"));
            long p = DirtyGuestAccess.progress(m);
            DirtyGuestAccess.awaitProgress(m, p + 1);

            assertEquals(Map.of(), ret(ask(in, out, "{\"execute\":\"quit\"}")));
            assertEquals(VmOutcome.Kind.QUIT, DirtyGuestAccess.finish(run).kind());
        }
        assertTrue(!Files.exists(sock), "the socket file is removed on close");
    }

    /**
     * While one client's migrate runs (capped at 8 MB/s, no auto-converge, 6 rounds: the guest
     * dirties its buffer faster, so it runs all of them), a second client watches it with
     * query-migrate, gets status at once, and has a pause refused; the migrate reply and the
     * final query-migrate agree.
     */
    @Test
    void aSecondClientWatchesAMigrationWithQueryMigrate() throws Exception {
        Machine m = DirtyGuestAccess.boot(1_000_000);
        CompletableFuture<VmOutcome> run = DirtyGuestAccess.start(m);
        DirtyGuestAccess.awaitProgress(m, 1);
        Path sock = dir.resolve("hv.sock");
        try (ServerSocket target = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ControlServer server = ControlServer.start(ControlAddress.parse("unix:" + sock), new ControlCommands(() -> m));
             SocketChannel first = SocketChannel.open(StandardProtocolFamily.UNIX);
             SocketChannel second = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            var incoming = DirtyGuestAccess.incoming(target);
            first.connect(UnixDomainSocketAddress.of(sock));
            second.connect(UnixDomainSocketAddress.of(sock));
            BufferedReader in1 = new BufferedReader(new InputStreamReader(Channels.newInputStream(first), StandardCharsets.UTF_8));
            BufferedReader in2 = new BufferedReader(new InputStreamReader(Channels.newInputStream(second), StandardCharsets.UTF_8));
            OutputStream out1 = Channels.newOutputStream(first);
            OutputStream out2 = Channels.newOutputStream(second);
            in1.readLine();
            in2.readLine();
            assertEquals("none", ret(ask(in2, out2, "{\"execute\":\"query-migrate\"}")).get("status"));

            CompletableFuture<Map<?, ?>> migrated = CompletableFuture.supplyAsync(() -> {
                try {
                    return ask(in1, out1, "{\"execute\":\"migrate\",\"arguments\":{\"port\":" + target.getLocalPort()
                            + ",\"max_rounds\":6,\"auto_converge\":false,\"max_bandwidth\":8000000}}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Map<?, ?> q;
            long deadline = System.nanoTime() + 20_000_000_000L;
            do {
                q = ret(ask(in2, out2, "{\"execute\":\"query-migrate\"}"));
                assertTrue(System.nanoTime() < deadline, "never saw round 2: " + q);
                Thread.sleep(5);
            } while (!"active".equals(q.get("status")) || (Long) q.get("rounds") < 2);
            assertTrue((Long) q.get("bytes") > 0 && (Long) q.get("pages") > 0 && (Long) q.get("remaining_pages") > 0, q.toString());
            assertTrue(q.containsKey("elapsed_ms") && !q.containsKey("downtime_ms"), q.toString());
            assertEquals("running", ret(ask(in2, out2, "{\"execute\":\"status\"}")).get("state"));
            Map<?, ?> refused = err(ask(in2, out2, "{\"execute\":\"pause\"}"));
            assertEquals("VmState", refused.get("class"));
            assertTrue(((String) refused.get("desc")).contains("migration is running"), refused.toString());
            assertTrue(!migrated.isDone(), "the migration was still running while the second client was served");

            Map<?, ?> done = ret(migrated.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("migrated", done.get("outcome"));
            assertEquals(false, done.get("converged"));
            assertEquals(7L, done.get("rounds"));
            Map<?, ?> last = ret(ask(in2, out2, "{\"execute\":\"query-migrate\"}"));
            assertEquals("completed", last.get("status"));
            assertEquals(done.get("bytes"), last.get("bytes"));
            assertEquals(done.get("downtime_ms"), last.get("downtime_ms"));
            assertEquals(VmOutcome.Kind.MIGRATED, DirtyGuestAccess.finish(run).kind());
            Machine moved = incoming.getKey().get(30, java.util.concurrent.TimeUnit.SECONDS);
            moved.end(VmOutcome.quit());
            DirtyGuestAccess.finish(incoming.getValue());
        }
    }

    @Test
    void loopbackTcpAndNoVm() throws Exception {
        try (ControlServer server = ControlServer.start(ControlAddress.parse("tcp:0"), new ControlCommands(() -> null));
             java.net.Socket s = new java.net.Socket()) {
            java.net.InetSocketAddress bound = (java.net.InetSocketAddress) server.localAddress();
            assertTrue(bound.getAddress().isLoopbackAddress(), "tcp:PORT listens on loopback only: " + bound);
            s.connect(bound);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            assertEquals("NoVm", err(ask(in, s.getOutputStream(), "{\"execute\":\"status\",\"id\":3}")).get("class"));
        }
    }

    @Test
    void addresses() {
        assertEquals(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 4444),
                ControlAddress.parse("tcp:4444").address());
        assertTrue(ControlAddress.parse("unix:/tmp/x").unixPath() != null);
        for (String bad : new String[] {"4444", "tcp:", "tcp:x", "tcp:1:99999", "unix:", "udp:1"}) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ControlAddress.parse(bad), bad);
        }
    }

    private static Map<?, ?> ask(BufferedReader in, OutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return (Map<?, ?>) Json.parse(in.readLine());
    }

    private static Map<?, ?> ret(Map<?, ?> reply) {
        assertTrue(reply.containsKey("return"), reply.toString());
        return (Map<?, ?>) reply.get("return");
    }

    private static Map<?, ?> err(Map<?, ?> reply) {
        assertTrue(reply.containsKey("error"), reply.toString());
        return (Map<?, ?>) reply.get("error");
    }
}
