package hv.it;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving station on an {@code hv switch}: it joins like a VM (the stream framing, a
 * 4-byte big-endian length before each Ethernet frame) and sends full-size frames to one MAC as
 * fast as loopback TCP takes them, from its own thread, until closed. The frames carry an
 * experimental EtherType (0x88B5, IEEE 802 local use) so a guest kernel drops them after the
 * driver took them: all the cost is in the NIC path, which is what a flood test is about.
 */
final class FrameFlooder implements AutoCloseable {
    private static final int FRAME = 1514;
    private final Socket socket;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stop;

    FrameFlooder(int switchPort, byte[] destinationMac) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), switchPort);
        byte[] record = new byte[4 + FRAME];
        record[2] = (byte) (FRAME >>> 8);
        record[3] = (byte) FRAME;
        System.arraycopy(destinationMac, 0, record, 4, 6);
        byte[] source = {0x52, 0x54, 0x00, 0x00, (byte) 0xf1, 0x00};
        System.arraycopy(source, 0, record, 10, 6);
        record[16] = (byte) 0x88;
        record[17] = (byte) 0xb5;
        thread = new Thread(() -> {
            try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
                while (!stop) {
                    out.write(record);
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // closed under us: the flood is over
            }
        }, "frame-flooder");
        thread.setDaemon(true);
        thread.start();
    }

    long framesSent() {
        return sent.get();
    }

    static byte[] mac(String text) {
        String[] parts = text.split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return m;
    }

    @Override
    public void close() throws IOException {
        stop = true;
        socket.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
