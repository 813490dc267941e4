package hv.hosts.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.StandardProtocolFamily;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control socket ({@code hv run --control ADDRESS}): accepts any number of clients, each on
 * its own daemon thread, and answers one JSON line per request line. The first line a client
 * gets is a greeting ({@code {"hv": {"version", "commands"}}}). A line that is too long or not
 * JSON gets an error reply; only the client's own hang-up ends its connection.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("hv.control");
    /** Longest request line; longer ones are answered with an error and skipped. */
    static final int MAX_LINE = 64 * 1024;

    private final ControlAddress address;
    private final ControlCommands commands;
    private final ServerSocketChannel server;
    private volatile boolean closed;

    private ControlServer(ControlAddress address, ControlCommands commands, ServerSocketChannel server) {
        this.address = address;
        this.commands = commands;
        this.server = server;
    }

    /** Binds the address and starts accepting. */
    public static ControlServer start(ControlAddress address, ControlCommands commands) throws IOException {
        ServerSocketChannel ch;
        if (address.unixPath() != null) {
            // A socket file left by an HV that died is in the way; a regular file is not ours to remove.
            if (Files.exists(address.unixPath()) && !Files.isRegularFile(address.unixPath())
                    && !Files.isDirectory(address.unixPath())) {
                Files.delete(address.unixPath());
            }
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        } else {
            ch = ServerSocketChannel.open();
        }
        try {
            ch.bind(address.address());
        } catch (IOException e) {
            ch.close();
            throw new IOException("--control " + address + ": " + e.getMessage(), e);
        }
        ControlServer s = new ControlServer(address, commands, ch);
        Thread t = new Thread(s::acceptLoop, "hv-control");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** The bound address (a tcp:...:0 address gets its real port here). */
    public java.net.SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "hv-control-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "control " + address + ": accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; InputStream in = Channels.newInputStream(c); OutputStream out = Channels.newOutputStream(c)) {
            Map<String, Object> hello = new LinkedHashMap<>();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("version", hv.hosts.snapshot.SectionFormat.hvVersion());
            info.put("commands", ControlCommands.NAMES);
            hello.put("hv", info);
            send(out, hello);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE) {
                        line.write(b);
                    } else {
                        tooLong = true;
                    }
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8).strip();
                line.reset();
                if (tooLong) {
                    tooLong = false;
                    send(out, ControlCommands.Reply.error("BadRequest", "request line longer than " + MAX_LINE + " bytes").body());
                    continue;
                }
                if (text.isEmpty()) {
                    continue;
                }
                ControlCommands.Reply r = commands.handle(text);
                send(out, r.body());
                if (r.after() != null) {
                    r.after().run();
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void send(OutputStream out, Map<String, Object> body) throws IOException {
        out.write((Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        if (address.unixPath() != null) {
            try {
                Files.deleteIfExists(address.unixPath());
            } catch (IOException e) {
                // best effort
            }
        }
    }
}
