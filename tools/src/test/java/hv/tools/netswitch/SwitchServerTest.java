package hv.tools.netswitch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The switch end to end over loopback TCP, with plain sockets as stations. */
@Timeout(30)
class SwitchServerTest {
    static final long BROADCAST = 0xffffffffffffL;
    final AtomicLong clock = new AtomicLong();
    SwitchServer server;
    InetSocketAddress address;

    /** A VM stand-in: one socket, one MAC, the stream framing. */
    static final class Station implements AutoCloseable {
        final long mac;
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        Station(InetSocketAddress at, long mac) throws IOException {
            this.mac = mac;
            this.socket = new Socket(at.getAddress(), at.getPort());
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        void send(long dst, int tag) throws IOException {
            out.writeInt(60);
            out.writeShort((int) (dst >>> 32));
            out.writeInt((int) dst);
            out.writeShort((int) (mac >>> 32));
            out.writeInt((int) mac);
            out.writeShort(0x88b5); // local experimental EtherType
            out.writeInt(tag);
            out.write(new byte[42]);
            out.flush();
        }

        /** The tag of the next frame received, checking its framing. */
        int receive() throws IOException {
            int len = in.readInt();
            assertEquals(60, len);
            byte[] f = in.readNBytes(len);
            return ((f[14] & 0xff) << 24) | ((f[15] & 0xff) << 16) | ((f[16] & 0xff) << 8) | (f[17] & 0xff);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    void start(int maxPorts) throws IOException {
        SwitchConfig c = new SwitchConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TimeUnit.SECONDS.toNanos(300),
                1024, maxPorts, SwitchConfig.DEFAULT_MAX_FRAME, SwitchConfig.DEFAULT_PORT_BUFFER);
        server = new SwitchServer(c, clock::get);
        address = server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Waits until {@code n} ports are connected (the accept happens on the switch thread). */
    void awaitPorts(int n) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.loop().submit(() -> server.core().portCount()).get() != n) {
            assertTrue(System.nanoTime() < deadline, "ports never reached " + n);
            Thread.sleep(5);
        }
    }

    @Test
    void learnsFloodsAndForwardsOverRealSockets() throws Exception {
        start(8);
        try (Station s1 = new Station(address, 0x525400000001L);
             Station s2 = new Station(address, 0x525400000002L);
             Station s3 = new Station(address, 0x525400000003L)) {
            awaitPorts(3);
            s1.send(BROADCAST, 1);
            assertEquals(1, s2.receive());
            assertEquals(1, s3.receive());
            s2.send(s1.mac, 2); // s1 is known: s3 must not see this
            s2.send(BROADCAST, 3); // a marker after it, from the same port
            assertEquals(2, s1.receive());
            assertEquals(3, s1.receive());
            assertEquals(3, s3.receive(), "s3's next frame is the marker: the unicast went to s1 only");
            // s2 is learned now too: s1 to s2 reaches s2 alone.
            s1.send(s2.mac, 4);
            s1.send(BROADCAST, 5);
            assertEquals(4, s2.receive());
            assertEquals(5, s2.receive());
            assertEquals(5, s3.receive());
            // Ageing, on the injected clock: s1 silent past the ageing time is unknown again.
            clock.addAndGet(TimeUnit.SECONDS.toNanos(301));
            s2.send(s1.mac, 6);
            assertEquals(6, s1.receive());
            assertEquals(6, s3.receive(), "aged out: flooded");
            SwitchStats st = server.stats();
            assertEquals(6, st.totalRxFrames());
            assertTrue(server.statsText().contains("RX_FRAMES"));
        }
    }

    @Test
    void aLeavingPortIsForgottenAndAGarbagePortIsCutOffWhileOthersCarryOn() throws Exception {
        start(8);
        try (Station s1 = new Station(address, 0x525400000001L);
             Station s2 = new Station(address, 0x525400000002L);
             Station s3 = new Station(address, 0x525400000003L)) {
            awaitPorts(3);
            s1.send(BROADCAST, 1);
            s2.receive();
            s3.receive();
            s1.close();
            awaitPorts(2);
            s2.send(s1.mac, 2);
            assertEquals(2, s3.receive(), "s1 left and was forgotten: its address floods");

            try (Station evil = new Station(address, 0x525400000066L)) {
                awaitPorts(3);
                evil.out.writeInt(0);
                evil.out.writeInt(12345);
                evil.out.flush();
                assertEquals(-1, evil.in.read(), "the switch hung up on the garbage port");
            }
            awaitPorts(2);
            s3.send(BROADCAST, 3);
            assertEquals(3, s2.receive(), "the others still switch");
            String stats = server.statsText();
            assertTrue(stats.contains("gone"), stats);
            long badLength = server.stats().ports().stream().mapToLong(SwitchStats.PortRow::rxBadLength).sum();
            assertEquals(1, badLength, stats);
        }
    }

    @Test
    void portsBeyondTheLimitAreRefused() throws Exception {
        start(2);
        try (Station s1 = new Station(address, 1);
             Station s2 = new Station(address, 2);
             Station s3 = new Station(address, 3)) {
            assertEquals(-1, s3.in.read(), "third port refused");
            awaitPorts(2);
            assertTrue(server.statsText().contains("ports refused 1"));
            s1.send(BROADCAST, 9);
            assertEquals(9, s2.receive());
        }
    }
}
