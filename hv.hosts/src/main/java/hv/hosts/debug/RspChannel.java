package hv.hosts.debug;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;

/**
 * The GDB Remote Serial Protocol's framing on one TCP connection (GDB manual, appendix E.1
 * "Overview"): packets {@code $payload#cc} with a two-digit hex checksum (sum of the payload bytes
 * mod 256), {@code +}/{@code -} acknowledgements until QStartNoAckMode, {@code }}-escaping of
 * binary data ({@code X} packets, qXfer replies) and the out-of-band interrupt byte 0x03.
 *
 * <p>A reader thread turns the byte stream into {@link SessionEvent}s; replies are written by the
 * session thread. A debugger that sends garbage gets a {@code -} (bad checksum) or has the bytes
 * ignored (outside a packet); one that sends a packet longer than {@link #MAX_PACKET} or closes the
 * connection ends the session ({@link SessionEvent.Disconnected}). Nothing here can throw at the VM.
 */
final class RspChannel {
    /** The PacketSize we advertise (qSupported): the most payload bytes gdb sends in one packet. */
    static final int PACKET_SIZE = 0x4000;
    /** Longer packets (room for escapes) are not from a sane debugger: drop the connection. */
    static final int MAX_PACKET = 2 * PACKET_SIZE + 64;

    private static final System.Logger LOG = System.getLogger("hv.gdb");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean noAck;
    /** The last packet sent, for a '-' (resend) from gdb; null in no-ack mode. */
    private byte[] lastSent;
    /** The packet readPacket just read had a bad checksum (it was nacked and is dropped). */
    private boolean lastChecksumBad;

    RspChannel(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** After QStartNoAckMode's OK: neither side sends acks any more. */
    void disableAcks() {
        noAck = true;
    }

    /** Starts the reader thread that posts packets, interrupts and the end of the connection to {@code events}. */
    Thread startReader(BlockingQueue<SessionEvent> events, String name) {
        Thread t = new Thread(() -> readLoop(events), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void readLoop(BlockingQueue<SessionEvent> events) {
        try {
            for (;;) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b == 0x03) {
                    events.add(new SessionEvent.Interrupt());
                } else if (b == '-') {
                    resend();
                } else if (b == '$') {
                    byte[] payload = readPacket();
                    if (payload == null) {
                        LOG.log(System.Logger.Level.WARNING, "gdb: packet over " + MAX_PACKET + " bytes: closing the connection");
                        break;
                    }
                    if (!lastChecksumBad) {
                        events.add(new SessionEvent.Packet(payload));
                    }
                }
                // '+' and stray bytes outside a packet are ignored (E.1: only '$', acks and 0x03 mean something)
            }
        } catch (IOException e) {
            // connection reset or closed by the session: the end of the connection either way
        }
        events.add(new SessionEvent.Disconnected());
    }

    /**
     * Reads the rest of a packet after '$': the payload (escapes undone) or null if it is too long.
     * A bad checksum is nacked and reported as an empty payload with {@link #lastChecksumBad} set.
     */
    private byte[] readPacket() throws IOException {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        int sum = 0;
        boolean escape = false;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside a packet");
            }
            if (b == '#') {
                break;
            }
            if (b == '$') { // a new packet starts: the old one was broken (E.1: resynchronise on '$')
                buf.reset();
                sum = 0;
                escape = false;
                continue;
            }
            sum += b;
            if (buf.size() > MAX_PACKET) {
                return null;
            }
            if (escape) {
                buf.write(b ^ 0x20);
                escape = false;
            } else if (b == '}') {
                escape = true;
            } else {
                buf.write(b);
            }
        }
        int hi = Hex.digit(in.read());
        int lo = Hex.digit(in.read());
        boolean ok = hi >= 0 && lo >= 0 && ((hi << 4) | lo) == (sum & 0xff);
        lastChecksumBad = !ok;
        if (!noAck) {
            writeRaw(new byte[] {(byte) (ok ? '+' : '-')});
        }
        return ok ? buf.toByteArray() : new byte[0];
    }

    /** Sends one packet (payload escaped as needed). */
    void send(String payload) {
        send(payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] payload) {
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream(payload.length + 8);
        p.write('$');
        int sum = 0;
        for (byte value : payload) {
            int b = value & 0xff;
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                p.write('}');
                sum += '}';
                b ^= 0x20;
            }
            p.write(b);
            sum += b;
        }
        p.write('#');
        p.write(Hex.DIGITS[(sum >> 4) & 15]);
        p.write(Hex.DIGITS[sum & 15]);
        byte[] bytes = p.toByteArray();
        synchronized (this) {
            lastSent = noAck ? null : bytes;
        }
        writeRaw(bytes);
    }

    /** A '-' from gdb: send the last packet again. */
    private void resend() {
        byte[] b;
        synchronized (this) {
            b = lastSent;
        }
        if (b != null) {
            writeRaw(b);
        }
    }

    private synchronized void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            close(); // the reader sees the end and reports Disconnected
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
