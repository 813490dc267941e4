package hv.hosts.debug;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A minimal gdb remote-protocol client for tests, written from the GDB manual's appendix E: it
 * frames and checksums packets, acknowledges replies (until no-ack mode), and decodes the values
 * the tests look at. Every read has a timeout, so a stub that never answers fails the test.
 */
final class RspClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean noAck;

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static String frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return String.format("$%s#%02x", payload, sum & 0xff);
    }

    /** Sends a packet and returns the reply's payload. */
    String ask(String payload) throws IOException {
        send(payload);
        return reply();
    }

    void send(String payload) throws IOException {
        raw(frame(payload));
        if (!noAck) {
            int ack = in.read();
            if (ack != '+') {
                throw new IOException("expected '+', got " + ack);
            }
        }
    }

    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One raw byte from the stub (an ack). */
    int readByte() throws IOException {
        return in.read();
    }

    void interrupt() throws IOException {
        out.write(0x03);
        out.flush();
    }

    /** Reads the next packet (skipping stray acks), acknowledging it unless in no-ack mode. */
    String reply() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
        }
        StringBuilder sb = new StringBuilder();
        int sum = 0;
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new IOException("connection closed in a packet");
            }
            sum += c;
            if (c == '}') {
                int d = in.read();
                sum += d;
                sb.append((char) (d ^ 0x20));
            } else {
                sb.append((char) c);
            }
        }
        String cs = "" + (char) in.read() + (char) in.read();
        if (Integer.parseInt(cs, 16) != (sum & 0xff)) {
            throw new IOException("bad checksum on " + sb);
        }
        if (!noAck) {
            raw("+");
        }
        return sb.toString();
    }

    void startNoAck() throws IOException {
        String r = ask("QStartNoAckMode");
        if (!r.equals("OK")) {
            throw new IOException("QStartNoAckMode: " + r);
        }
        noAck = true;
    }

    /** Whether the stub closed the connection (reads end) within the timeout. */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    // --- values ---

    /** A register (p packet) as an unsigned little-endian value. */
    long register(int n) throws IOException {
        return littleEndian(ask("p" + Integer.toHexString(n)));
    }

    void setRegister(int n, long v) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
        }
        expectOk(ask("P" + Integer.toHexString(n) + "=" + sb));
    }

    long readLong(long addr) throws IOException {
        return littleEndian(ask("m" + Long.toHexString(addr) + ",8"));
    }

    void writeLong(long addr, long v) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
        }
        expectOk(ask("M" + Long.toHexString(addr) + ",8:" + sb));
    }

    static long littleEndian(String hex) {
        if (hex.startsWith("E") && hex.length() == 3) {
            throw new IllegalStateException("error reply " + hex);
        }
        long v = 0;
        for (int i = 0; i < hex.length() / 2; i++) {
            v |= Long.parseLong(hex.substring(2 * i, 2 * i + 2), 16) << (8 * i);
        }
        return v;
    }

    static void expectOk(String r) {
        if (!r.equals("OK")) {
            throw new IllegalStateException("expected OK, got " + r);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
