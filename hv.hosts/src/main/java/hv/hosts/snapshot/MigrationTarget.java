package hv.hosts.snapshot;

import hv.hosts.Machine;
import hv.hosts.VmConfigException;

import java.io.BufferedInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Live migration, receiving side ({@code hv run --incoming tcp:HOST:PORT}): waits for one
 * source, reads the machine's config (to build the same machine), then, as the machine's start
 * hook, every RAM round and the final state; answers {@link #ACK} once all of it is loaded, and
 * the vCPUs start. A stream that breaks or does not fit is an error: nothing runs.
 */
public final class MigrationTarget implements Machine.StartHook, AutoCloseable {
    static final String ACK = "loaded";

    private final Socket socket;
    private final SectionInput in;
    private final SavedConfig config;
    private final String source;
    private long receivedBytes;

    private MigrationTarget(Socket socket, SectionInput in, SavedConfig config, String source) {
        this.socket = socket;
        this.in = in;
        this.config = config;
        this.source = source;
    }

    /** Binds host:port (a null host is loopback), waits for the source, reads its header and config. */
    public static MigrationTarget accept(String host, int port) throws SnapshotException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            InetAddress addr = host == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            server.bind(new InetSocketAddress(addr, port), 1);
            return accept(server);
        } catch (IOException e) {
            throw new SnapshotException("--incoming tcp:" + (host == null ? "127.0.0.1" : host) + ":" + port + ": " + e.getMessage());
        }
    }

    /** Waits for one source on a bound server socket (tests bind port 0). */
    public static MigrationTarget accept(ServerSocket server) throws SnapshotException {
        Socket s = null;
        try {
            s = server.accept();
            String source = "migration stream from " + s.getRemoteSocketAddress();
            SectionInput in = new SectionInput(new BufferedInputStream(s.getInputStream(), 1 << 20), source);
            in.header(SectionFormat.MIGRATION_MAGIC);
            SavedConfig config = SnapshotRestore.readConfig(in, source);
            return new MigrationTarget(s, in, config, source);
        } catch (SnapshotException e) {
            closeQuietly(s);
            throw e;
        } catch (IOException e) {
            closeQuietly(s);
            throw new SnapshotException("migration stream: " + e.getMessage());
        }
    }

    public SavedConfig config() {
        return config;
    }

    /** Bytes received (after the load). */
    public long receivedBytes() {
        return receivedBytes;
    }

    @Override
    public void beforeVcpus(Machine machine) throws VmConfigException {
        try {
            new StateLoader(machine).loadAll(in, source);
            receivedBytes = in.bytes();
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeUTF(ACK);
            out.flush();
        } catch (SnapshotException e) {
            refuse(e.getMessage());
            throw new VmConfigException(e.getMessage());
        } catch (IOException e) {
            throw new VmConfigException(source + ": " + e.getMessage());
        } finally {
            close();
        }
    }

    /** The machine could not be built here: tell the source (it resumes its VM) and hang up. */
    public void reject(String why) {
        refuse(why);
        close();
    }

    /** Tells the source why (when the connection still works), so it resumes its VM with a reason. */
    private void refuse(String why) {
        try {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeUTF(why.length() > 1000 ? why.substring(0, 1000) : why);
            out.flush();
        } catch (IOException e) {
            // the source is gone already
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
