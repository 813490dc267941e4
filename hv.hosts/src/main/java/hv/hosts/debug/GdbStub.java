package hv.hosts.debug;

import hv.cpu.Breakpoints;
import hv.cpu.Hart;
import hv.hosts.vcpu.VcpuThread;
import hv.memory.GuestRam;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * A GDB stub for one machine ({@code hv run --gdb HOST:PORT [--gdb-wait]}, like QEMU's
 * {@code -gdb tcp::PORT -S}): listens on a TCP socket, serves one gdb connection at a time
 * ({@link GdbSession}) on its own thread with plain blocking sockets (not a hot path), and between
 * connections leaves the harts running. Breakpoints live in one {@link Breakpoints} set the harts
 * check themselves, so guest memory is never patched and translated code cannot miss them.
 */
public final class GdbStub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("hv.gdb");

    private final ServerSocket server;
    private final boolean waitForDebugger;
    private final HartControl harts;
    private final GuestMemoryAccess memory;
    private final Breakpoints breakpoints;
    private final RiscvRegisters registers;
    private final Runnable killVm;
    private volatile GdbSession session;
    private volatile boolean closed;
    private Thread acceptor;

    private GdbStub(ServerSocket server, boolean waitForDebugger, List<VcpuThread> vcpus, GuestRam ram,
                    Breakpoints breakpoints, Runnable killVm) {
        this.server = server;
        this.waitForDebugger = waitForDebugger;
        this.harts = new HartControl(vcpus);
        List<Hart> hs = new ArrayList<>();
        for (VcpuThread v : vcpus) {
            hs.add(v.hart());
        }
        this.memory = new GuestMemoryAccess(ram, hs);
        this.breakpoints = breakpoints;
        this.registers = new RiscvRegisters(hs.getFirst());
        this.killVm = killVm;
    }

    /**
     * Binds the socket (port 0: any free port) and attaches to the vCPUs; nothing is served until
     * {@link #start}. The harts must already watch {@code breakpoints} (Hart.watchBreakpoints).
     *
     * @param killVm ends the VM (gdb's kill request)
     */
    public static GdbStub open(InetSocketAddress address, boolean waitForDebugger, List<VcpuThread> vcpus, GuestRam ram,
                               Breakpoints breakpoints, Runnable killVm) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, 1);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new GdbStub(s, waitForDebugger, vcpus, ram, breakpoints, killVm);
    }

    /** The port the stub listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** Call before the vCPU threads start: holds them (with --gdb-wait) and starts serving. */
    public void start() {
        if (waitForDebugger) {
            harts.holdAtStart();
        }
        acceptor = new Thread(this::serve, "hv-gdb");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve() {
        while (!closed) {
            try (Socket socket = server.accept()) {
                LOG.log(System.Logger.Level.INFO, "gdb: debugger connected from " + socket.getRemoteSocketAddress());
                GdbSession s = new GdbSession(new RspChannel(socket), harts, memory, breakpoints, registers, killVm);
                session = s;
                if (closed) {
                    return;
                }
                s.run();
                session = null;
                LOG.log(System.Logger.Level.INFO, "gdb: debugger disconnected");
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "gdb: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                // A bug in the stub must not take the VM down: drop this connection, keep listening.
                LOG.log(System.Logger.Level.ERROR, "gdb: session failed", e);
                session = null;
                harts.reportTo(null);
                breakpoints.clear();
                harts.release();
            }
        }
    }

    /** The VM ended: a connected gdb is told the exit code (W packet) and the connection closed. */
    public void vmEnded(int exitCode) {
        closed = true;
        GdbSession s = session;
        if (s != null) {
            BlockingQueue<SessionEvent> q = s.events();
            q.add(new SessionEvent.VmEnded(exitCode));
        }
    }

    /** Stops listening; waits briefly for a session to say goodbye. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
