package hv.plugin.net.sockets;

import hv.api.net.NetworkBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class DgramBackendTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPairExchangesFramesBothWaysOneFramePerDatagram() throws Exception {
        int pa = freeUdpPort();
        int pb = freeUdpPort();
        TestSink a = new TestSink(64);
        TestSink b = new TestSink(64);
        try (NetworkBackend x = Backends.open("dgram,local=127.0.0.1:" + pa + ",remote=127.0.0.1:" + pb, a);
             NetworkBackend y = Backends.open("dgram,local=127.0.0.1:" + pb + ",remote=127.0.0.1:" + pa, b)) {
            a.expectLink(true, WAIT);
            b.expectLink(true, WAIT);
            for (int i = 0; i < 30; i++) {
                byte[] f = TestSink.frame(60 + 50 * i, i);
                assertTrue(x.send(ByteBuffer.wrap(f)));
                assertArrayEquals(f, b.take(WAIT));
                byte[] g = TestSink.frame(1514 - i, i + 1);
                assertTrue(y.send(ByteBuffer.wrap(g)));
                assertArrayEquals(g, a.take(WAIT));
            }
            TestSink.waitUntil(() -> y.counters().get("rx_frames") == 30, "rx_frames == 30");
            assertEquals(30L, x.counters().get("tx_frames"));
            assertEquals(30L, y.counters().get("rx_frames"));
        }
    }

    @Test
    void datagramsFromStrangersRuntsAndOversizeAreDropped() throws Exception {
        int local = freeUdpPort();
        TestSink sink = new TestSink(64);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket stranger = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             NetworkBackend b = Backends.open("dgram,local=127.0.0.1:" + local + ",remote=127.0.0.1:" + peer.getLocalPort() + ",max-frame=1518", sink)) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", local);
            byte[] f = TestSink.frame(100, 1);
            stranger.send(new DatagramPacket(f, f.length, to));
            peer.send(new DatagramPacket(new byte[10], 10, to));
            peer.send(new DatagramPacket(new byte[1519], 1519, to));
            byte[] g = TestSink.frame(1518, 2);
            peer.send(new DatagramPacket(g, g.length, to));
            assertArrayEquals(g, sink.take(WAIT), "only the good frame from the peer arrives");
            TestSink.waitUntil(() -> b.counters().get("rx_frames") == 1, "rx_frames == 1");
            assertEquals(1L, b.counters().get("rx_foreign"));
            assertEquals(1L, b.counters().get("rx_runt"));
            assertEquals(1L, b.counters().get("rx_oversize"));
            assertEquals(1L, b.counters().get("rx_frames"));
        }
    }

    @Test
    void aFullSinkPausesReadingUntilResumed() throws Exception {
        int local = freeUdpPort();
        TestSink sink = new TestSink(4);
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             NetworkBackend b = Backends.open("dgram,local=127.0.0.1:" + local + ",remote=127.0.0.1:" + peer.getLocalPort(), sink)) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", local);
            for (int i = 0; i < 20; i++) {
                byte[] f = TestSink.frame(200, i);
                peer.send(new DatagramPacket(f, f.length, to));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (b.counters().get("rx_pauses") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1L, b.counters().get("rx_pauses"));
            assertEquals(1L, b.counters().get("rx_refused"), "reading stopped after the first refusal");
            assertEquals(4, sink.frames.size());
            sink.frames.clear();
            b.resumeReceive();
            assertEquals(200, sink.take(WAIT).length, "datagrams held by the kernel come in after resume");
        }
    }
}
