package hv.it;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer on an {@code hv switch} that needs no second guest boot: it joins like a VM (the stream
 * framing, a 4-byte big-endian length before each Ethernet frame) and answers, for one IPv4
 * address, ARP requests (RFC 826) and ICMP echo requests (RFC 792) - all a guest's
 * {@code ping} needs. It counts the echo replies it sent, so a test can see the traffic
 * from the peer's side too. Everything else on the wire is ignored.
 */
final class PingStation implements AutoCloseable {
    private static final int ETH_ARP = 0x0806;
    private static final int ETH_IPV4 = 0x0800;
    private static final int IP_ICMP = 1;

    private final byte[] mac;
    private final byte[] ip;
    private final Socket socket;
    private final OutputStream out;
    private final Thread thread;
    private final AtomicLong echoReplies = new AtomicLong();

    /** @param ip dotted IPv4 address, e.g. 10.0.7.2 */
    PingStation(int switchPort, String mac, String ip) throws IOException {
        this.mac = FrameFlooder.mac(mac);
        this.ip = InetAddress.getByName(ip).getAddress();
        this.socket = new Socket(InetAddress.getLoopbackAddress(), switchPort);
        this.out = socket.getOutputStream();
        this.thread = new Thread(this::loop, "ping-station");
        thread.setDaemon(true);
        thread.start();
    }

    long echoReplies() {
        return echoReplies.get();
    }

    private void loop() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()))) {
            while (true) {
                int length = in.readInt();
                if (length < 0 || length > 65_549) {
                    return; // not the switch's framing: give up rather than misread
                }
                byte[] f = new byte[length];
                in.readFully(f);
                if (length >= 14) {
                    answer(f);
                }
            }
        } catch (IOException e) {
            // closed, or the switch went away
        }
    }

    private void answer(byte[] f) throws IOException {
        int type = u16(f, 12);
        if (type == ETH_ARP && f.length >= 42 && u16(f, 20) == 1 && Arrays.equals(f, 38, 42, ip, 0, 4)) {
            byte[] r = Arrays.copyOf(f, 42);
            ethernetReply(r, f);
            r[21] = 2; // op: reply
            System.arraycopy(f, 22, r, 32, 10); // target = the asker (MAC and IP)
            System.arraycopy(mac, 0, r, 22, 6);
            System.arraycopy(ip, 0, r, 28, 4);
            send(r);
        } else if (type == ETH_IPV4 && f.length >= 34 && Arrays.equals(f, 0, 6, mac, 0, 6)) {
            int ihl = (f[14] & 0x0f) * 4;
            int total = u16(f, 16);
            int icmp = 14 + ihl;
            if (f[23] != IP_ICMP || !Arrays.equals(f, 30, 34, ip, 0, 4) || 14 + total > f.length || total < ihl + 8
                    || (f[icmp] & 0xff) != 8) {
                return;
            }
            byte[] r = Arrays.copyOf(f, 14 + total);
            ethernetReply(r, f);
            System.arraycopy(f, 30, r, 26, 4); // swapping the addresses leaves the IP header checksum valid
            System.arraycopy(f, 26, r, 30, 4);
            r[icmp] = 0; // echo reply
            r[icmp + 2] = 0;
            r[icmp + 3] = 0;
            int sum = checksum(r, icmp, 14 + total);
            r[icmp + 2] = (byte) (sum >>> 8);
            r[icmp + 3] = (byte) sum;
            send(r);
            echoReplies.incrementAndGet();
        }
    }

    private void ethernetReply(byte[] r, byte[] request) {
        System.arraycopy(request, 6, r, 0, 6);
        System.arraycopy(mac, 0, r, 6, 6);
    }

    private synchronized void send(byte[] frame) throws IOException {
        byte[] record = new byte[4 + frame.length];
        record[2] = (byte) (frame.length >>> 8);
        record[3] = (byte) frame.length;
        System.arraycopy(frame, 0, record, 4, frame.length);
        out.write(record);
        out.flush();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** The Internet checksum (RFC 1071) of b[from, to). */
    private static int checksum(byte[] b, int from, int to) {
        long sum = 0;
        for (int i = from; i < to; i += 2) {
            sum += (b[i] & 0xff) << 8 | (i + 1 < to ? b[i + 1] & 0xff : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) ~sum & 0xffff;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
