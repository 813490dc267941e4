package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.net.NetworkBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class StreamBackendTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void listenAndConnectExchangeFramesBothWays() throws Exception {
        TestSink a = new TestSink(64);
        TestSink b = new TestSink(64);
        try (NetworkBackend server = Backends.listen(a, "");
             NetworkBackend client = Backends.open("stream,connect=127.0.0.1:" + Backends.port(server), b)) {
            a.expectLink(true, WAIT);
            b.expectLink(true, WAIT);
            assertTrue(server.linkUp());
            assertTrue(client.linkUp());
            for (int i = 0; i < 50; i++) {
                byte[] f = TestSink.frame(60 + i * 29, i);
                assertTrue(client.send(ByteBuffer.wrap(f)));
                assertArrayEquals(f, a.take(WAIT));
                byte[] g = TestSink.frame(1514 - i, i + 100);
                assertTrue(server.send(ByteBuffer.wrap(g)));
                assertArrayEquals(g, b.take(WAIT));
            }
            TestSink.waitUntil(() -> server.counters().get("rx_frames") == 50, "rx_frames == 50");
            assertEquals(50L, client.counters().get("tx_frames"));
            assertEquals(50L, server.counters().get("rx_frames"));
        }
    }

    @Test
    void theWireFormatIsAFourByteBigEndianLengthThenTheFrame() throws Exception {
        TestSink sink = new TestSink(8);
        try (NetworkBackend server = Backends.listen(sink, "");
             Socket peer = new Socket("127.0.0.1", Backends.port(server))) {
            sink.expectLink(true, WAIT);
            byte[] f = TestSink.frame(300, 7);
            assertTrue(server.send(ByteBuffer.wrap(f)));
            DataInputStream in = new DataInputStream(peer.getInputStream());
            byte[] len = in.readNBytes(4);
            assertArrayEquals(new byte[] {0, 0, 0x01, 0x2c}, len);
            assertArrayEquals(f, in.readNBytes(300));
        }
    }

    @Test
    void theConnectingSideRedialsAfterThePeerDiesAndTheLinkFollows() throws Exception {
        TestSink a = new TestSink(64);
        TestSink b = new TestSink(64);
        NetworkBackend server = Backends.listen(a, "");
        int port = Backends.port(server);
        try (NetworkBackend client = Backends.open("stream,connect=127.0.0.1:" + port + ",backoff-max=200", b)) {
            b.expectLink(true, WAIT);
            server.close();
            b.expectLink(false, WAIT);
            assertFalse(client.linkUp());
            assertFalse(client.send(ByteBuffer.wrap(TestSink.frame(60, 1))), "no peer: dropped");
            assertEquals(1L, client.counters().get("tx_link_down"));
            Thread.sleep(700); // several failed dials while nobody listens
            assertTrue(client.counters().get("connect_failures") >= 2, client.counters().toString());
            TestSink a2 = new TestSink(64);
            try (NetworkBackend again = Backends.open("stream,listen=127.0.0.1:" + port, a2)) {
                b.expectLink(true, WAIT);
                a2.expectLink(true, WAIT);
                byte[] f = TestSink.frame(99, 5);
                assertTrue(client.send(ByteBuffer.wrap(f)));
                assertArrayEquals(f, a2.take(WAIT));
            }
        }
    }

    @Test
    void aGarbageLengthPrefixClosesTheConnectionAndTheNextPeerIsServed() throws Exception {
        TestSink sink = new TestSink(64);
        try (NetworkBackend server = Backends.listen(sink, "")) {
            int port = Backends.port(server);
            try (Socket evil = new Socket("127.0.0.1", port)) {
                sink.expectLink(true, WAIT);
                evil.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2, 3});
                sink.expectLink(false, WAIT);
                evil.setSoTimeout(5000);
                assertEquals(-1, evil.getInputStream().read(), "the backend closed the connection");
            }
            assertEquals(1L, server.counters().get("rx_bad_length"));
            try (Socket good = new Socket("127.0.0.1", port)) {
                sink.expectLink(true, WAIT);
                byte[] f = TestSink.frame(64, 3);
                DataOutputStream out = new DataOutputStream(good.getOutputStream());
                out.writeInt(f.length);
                out.write(f);
                out.flush();
                assertArrayEquals(f, sink.take(WAIT));
            }
        }
    }

    @Test
    void anOversizeFrameIsDroppedAndTheConnectionStays() throws Exception {
        TestSink sink = new TestSink(64);
        try (NetworkBackend server = Backends.listen(sink, ",max-frame=1518");
             Socket peer = new Socket("127.0.0.1", Backends.port(server))) {
            sink.expectLink(true, WAIT);
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            out.writeInt(9000);
            out.write(new byte[9000]);
            byte[] f = TestSink.frame(1518, 4);
            out.writeInt(f.length);
            out.write(f);
            out.flush();
            assertArrayEquals(f, sink.take(WAIT));
            TestSink.waitUntil(() -> server.counters().get("rx_frames") == 1, "rx_frames == 1");
            assertEquals(1L, server.counters().get("rx_oversize"));
            assertTrue(server.linkUp());
            // And the guest side may not send one either.
            assertFalse(server.send(ByteBuffer.wrap(new byte[1519])));
            assertEquals(1L, server.counters().get("tx_invalid"));
        }
    }

    @Test
    void aSecondPeerIsRefusedWhileTheFirstIsConnected() throws Exception {
        TestSink sink = new TestSink(8);
        try (NetworkBackend server = Backends.listen(sink, "");
             Socket first = new Socket("127.0.0.1", Backends.port(server));
             Socket second = new Socket("127.0.0.1", Backends.port(server))) {
            sink.expectLink(true, WAIT);
            second.setSoTimeout(5000);
            assertEquals(-1, second.getInputStream().read());
            assertEquals(1L, server.counters().get("peers_rejected"));
            assertTrue(server.linkUp());
        }
    }

    /**
     * A peer floods frames while the frontend takes none: the backend must stop reading (autoRead
     * off) so TCP pushes back on the peer, instead of buffering the flood. We measure how much
     * the peer manages to write before its socket blocks: bounded by socket buffers, not by the
     * 256 MiB offered. After the frontend resumes, the stream continues intact.
     */
    @Test
    void aFloodFasterThanTheSinkDrainsIsPushedBackAndCounted() throws Exception {
        TestSink sink = new TestSink(16);
        try (NetworkBackend server = Backends.listen(sink, "");
             SocketChannel peer = SocketChannel.open(new InetSocketAddress("127.0.0.1", Backends.port(server)))) {
            sink.expectLink(true, WAIT);
            peer.configureBlocking(false);
            int frameLen = 1000;
            ByteBuffer chunk = ByteBuffer.allocate(64 * (frameLen + 4));
            for (int i = 0; i < 64; i++) {
                chunk.putInt(frameLen).put(TestSink.frame(frameLen, i));
            }
            long written = 0;
            long idleSince = System.nanoTime();
            while (written < (256L << 20) && System.nanoTime() - idleSince < 500_000_000L) {
                chunk.clear();
                int n = peer.write(chunk);
                if (n > 0) {
                    written += n;
                    idleSince = System.nanoTime();
                } else {
                    Thread.sleep(1);
                }
            }
            assertTrue(written < (64L << 20), "the peer could write " + written + " bytes: the backend is not pushing back");
            assertTrue(server.counters().get("rx_pauses") >= 1, server.counters().toString());
            assertTrue(server.counters().get("rx_refused") >= 1, server.counters().toString());
            assertEquals(16, sink.maxHeld);
            // Drain and resume: frames flow again, each one whole.
            long received = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received < 200 && System.nanoTime() < deadline) {
                byte[] f = sink.frames.poll();
                if (f == null) {
                    server.resumeReceive();
                    Thread.sleep(1);
                    continue;
                }
                assertEquals(frameLen, f.length);
                assertEquals(0x52, f[6]);
                received++;
            }
            assertTrue(received >= 200, "frames flow again after resume: " + received);
            assertTrue(server.counters().get("rx_pauses") >= 2, "autoRead toggled off again as the flood went on");
        }
    }

    @Test
    void aPeerThatDoesNotReadMakesSendDropInsteadOfBuffering() throws Exception {
        TestSink sink = new TestSink(8);
        try (NetworkBackend server = Backends.listen(sink, ",tx-budget=262144");
             Socket lazy = new Socket("127.0.0.1", Backends.port(server))) {
            sink.expectLink(true, WAIT);
            ByteBuffer f = ByteBuffer.wrap(TestSink.frame(1514, 1));
            int accepted = 0;
            for (int i = 0; i < 200_000; i++) {
                if (server.send(f)) {
                    accepted++;
                }
            }
            assertTrue(server.counters().get("tx_dropped") > 0, server.counters().toString());
            // Kernel buffers on loopback can hold a few MiB; 200k frames would be 300 MiB.
            assertTrue(accepted < 20_000, "accepted " + accepted);
            assertEquals(lazy.isConnected(), true);
        }
    }

    @Test
    void badOptionsAreConfigurationErrors() {
        TestSink sink = new TestSink(1);
        assertThrows(DeviceConfigException.class, () -> Backends.open("stream", sink));
        assertThrows(DeviceConfigException.class, () -> Backends.open("stream,listen=1,connect=2", sink));
        assertThrows(DeviceConfigException.class, () -> Backends.open("stream,connect=127.0.0.1:99999", sink));
        assertThrows(DeviceConfigException.class, () -> Backends.open("stream,connect=127.0.0.1:1,colour=red", sink));
        assertThrows(DeviceConfigException.class, () -> Backends.open("stream,connect=127.0.0.1:1,max-frame=10", sink));
        assertThrows(DeviceConfigException.class, () -> Backends.open("switch", sink));
    }

    @Test
    void listeningDefaultsToLoopback() throws Exception {
        TestSink sink = new TestSink(1);
        try (ListeningStreamBackend b = (ListeningStreamBackend) Backends.open("stream,listen=0", sink)) {
            assertTrue(b.localAddress().getAddress().isLoopbackAddress(), b.localAddress().toString());
        }
    }

    @Test
    void listeningOnABusyPortIsAConfigurationError() throws Exception {
        TestSink sink = new TestSink(1);
        try (NetworkBackend b = Backends.listen(sink, "")) {
            DeviceConfigException e = assertThrows(DeviceConfigException.class,
                    () -> Backends.open("stream,listen=127.0.0.1:" + Backends.port(b), sink));
            assertTrue(e.getMessage().contains("cannot listen"), e.getMessage());
        }
    }


}
