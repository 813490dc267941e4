package hv.bench.net;

import hv.tools.netswitch.SwitchConfig;
import hv.tools.netswitch.SwitchServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwarding rate of {@code hv switch}: N clients on loopback, client i sending small unicast
 * frames to client i+1 as fast as the socket takes them; the switch learns every address first
 * (one broadcast each), so the measured path is learned unicast forwarding. Reports frames
 * delivered to clients per second over the measurement window, after a warm-up.
 *
 * <p>Usage: {@code SwitchBench [--clients N] [--frame BYTES] [--seconds S] [--warmup S] [--connect HOST:PORT]}.
 * Without {@code --connect} the switch runs in this JVM (its own event-loop thread).
 */
public final class SwitchBench {

    private SwitchBench() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 4;
        int frame = 64;
        double seconds = 5;
        double warmup = 2;
        String connect = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--frame" -> frame = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--connect" -> connect = args[++i];
                default -> {
                    System.err.println("usage: SwitchBench [--clients N] [--frame BYTES] [--seconds S] [--warmup S] [--connect HOST:PORT]");
                    System.exit(2);
                }
            }
        }
        if (clients < 2 || frame < 60 || frame > 1514) {
            System.err.println("need --clients >= 2 and --frame 60..1514");
            System.exit(2);
        }
        SwitchServer server = null;
        InetSocketAddress at;
        if (connect == null) {
            server = new SwitchServer(SwitchConfig.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
            at = server.start();
        } else {
            at = SwitchConfig.parseAddress(connect);
        }
        try {
            run(at, clients, frame, seconds, warmup, server);
        } finally {
            if (server != null) {
                System.out.print(server.statsText());
                server.close();
            }
        }
    }

    private static long mac(int client) {
        return 0x02_42_00_00_00_00L | (client + 1);
    }

    private static byte[] frames(long dst, long src, int frameLen, int count) {
        byte[] wire = new byte[count * (4 + frameLen)];
        for (int k = 0; k < count; k++) {
            int o = k * (4 + frameLen);
            putInt(wire, o, frameLen);
            for (int b = 0; b < 6; b++) {
                wire[o + 4 + b] = (byte) (dst >>> (40 - 8 * b));
                wire[o + 10 + b] = (byte) (src >>> (40 - 8 * b));
            }
            wire[o + 16] = (byte) 0x88;
            wire[o + 17] = (byte) 0xb5;
        }
        return wire;
    }

    private static void putInt(byte[] a, int o, int v) {
        a[o] = (byte) (v >>> 24);
        a[o + 1] = (byte) (v >>> 16);
        a[o + 2] = (byte) (v >>> 8);
        a[o + 3] = (byte) v;
    }

    /** CPU time used so far by the in-process switch's event-loop thread (0 when the switch runs elsewhere). */
    private static long switchCpuNanos() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("hv-switch")) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** One client: a non-blocking socket, a pre-built burst of frames to its neighbour, and counts. */
    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer burst;
        final ByteBuffer in = ByteBuffer.allocateDirect(1 << 18);
        final int framesPerBurst;
        long sent;
        long received;

        Client(SocketChannel channel, byte[] burst, int framesPerBurst) {
            this.channel = channel;
            this.burst = ByteBuffer.allocateDirect(burst.length).put(burst).flip().limit(0);
            this.framesPerBurst = framesPerBurst;
        }

        /** Reads what is there and counts whole frames; partial ones wait for the next read. */
        void read() throws IOException {
            if (channel.read(in) <= 0) {
                return;
            }
            in.flip();
            while (in.remaining() >= 4) {
                int len = in.getInt(in.position());
                if (in.remaining() < 4 + len) {
                    break;
                }
                in.position(in.position() + 4 + len);
                received++;
            }
            in.compact();
        }
    }

    /**
     * One client thread drives every socket (non-blocking, round-robin), so on a small machine
     * the clients do not steal the switch's core with a crowd of threads. Flow control is
     * closed-loop: client i keeps at most WINDOW frames in flight to client i+1, so the figure
     * is frames delivered, not frames dropped at a full port.
     */
    private static void run(InetSocketAddress at, int n, int frameLen, double seconds, double warmup, SwitchServer server) throws Exception {
        final int burstFrames = 64;
        final long window = 2048;
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open(at);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // Every client announces itself once, so the switch learns all addresses first.
            ch.write(ByteBuffer.wrap(frames(0xffffffffffffL, mac(i), frameLen, 1)));
            ch.configureBlocking(false);
            clients.add(new Client(ch, frames(mac((i + 1) % n), mac(i), frameLen, burstFrames), burstFrames));
        }
        // Drain the announcements (each client gets n-1 broadcasts).
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Client c : clients) {
            while (c.received < n - 1 && System.nanoTime() < deadline) {
                c.read();
            }
            c.received = 0;
        }
        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        long end = warmupEnd + (long) (seconds * 1e9);
        long d0 = -1;
        long cpu0 = 0;
        long s0 = 0;
        long t0 = 0;
        while (true) {
            long now = System.nanoTime();
            if (d0 < 0 && now >= warmupEnd) {
                cpu0 = switchCpuNanos();
                d0 = clients.stream().mapToLong(c -> c.received).sum();
                s0 = clients.stream().mapToLong(c -> c.sent).sum();
                t0 = now;
            }
            if (now >= end) {
                break;
            }
            for (int i = 0; i < n; i++) {
                Client c = clients.get(i);
                Client dst = clients.get((i + 1) % n);
                if (!c.burst.hasRemaining() && c.sent - dst.received + c.framesPerBurst <= window) {
                    c.burst.clear();
                    c.sent += c.framesPerBurst;
                }
                if (c.burst.hasRemaining()) {
                    c.channel.write(c.burst);
                }
                c.read();
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = switchCpuNanos();
        long d1 = clients.stream().mapToLong(c -> c.received).sum();
        long s1 = clients.stream().mapToLong(c -> c.sent).sum();
        for (Client c : clients) {
            c.channel.close();
        }
        double secs = (t1 - t0) / 1e9;
        double rate = (d1 - d0) / secs;
        System.out.printf("hv switch forwarding: %d clients, %d-byte frames, %.1f s: sent %.0f frames/s, delivered %.0f frames/s (%.1f Mbit/s of frames)%n",
                n, frameLen, secs, (s1 - s0) / secs, rate, rate * frameLen * 8 / 1e6);
        if (server != null && cpu1 > cpu0) {
            // Under a loaded host the wall-clock rate understates the switch: this is what one core of it does.
            System.out.printf("switch thread CPU: %.2f s busy of %.2f s (%.0f%%): %.0f frames per CPU-second%n",
                    (cpu1 - cpu0) / 1e9, secs, 100.0 * (cpu1 - cpu0) / 1e9 / secs, (d1 - d0) / ((cpu1 - cpu0) / 1e9));
        }
        System.out.printf("target >= 100000 frames/s: %s (host load average %.1f on %d cores)%n", rate >= 100_000 ? "MET" : "NOT MET",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }
}
