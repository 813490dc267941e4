package hv.devices.console;

import hv.api.device.HostConsole;
import hv.devices.queues.ByteQueue;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;

/**
 * The keyboard side of the guest console. A daemon reader thread takes bytes from
 * {@link HostConsole#input()} (blocking host I/O, so never on a vCPU), runs them through the
 * {@link EscapeFilter}, and queues the rest in a lock-free SPSC {@link ByteQueue} that the
 * device drains; after each batch it calls {@code onData} so the device can raise its
 * interrupt. When the queue is full the reader waits, which pushes back on the host terminal
 * instead of dropping keystrokes.
 */
public final class ConsoleInput implements AutoCloseable {

    private final String name;
    private final HostConsole console;
    private final ByteQueue queue;
    private final EscapeFilter escape;
    private final Runnable onData;
    private final System.Logger log;
    private volatile boolean closed;
    private Thread reader;

    /**
     * @param onData called on the reader thread after bytes were queued; must not block
     */
    public ConsoleInput(String name, HostConsole console, int capacity, Runnable onData, System.Logger log) {
        this.name = name;
        this.console = console;
        this.queue = new ByteQueue(capacity);
        this.escape = new EscapeFilter(console::requestQuit);
        this.onData = onData;
        this.log = log;
    }

    public synchronized void start() {
        if (reader == null && !closed) {
            reader = Thread.ofPlatform().name(name + "-input").daemon(true).start(this::readLoop);
        }
    }

    /** Consumer side: the next byte (0..255) or -1. Single consumer. */
    public int poll() {
        return queue.poll();
    }

    public boolean hasData() {
        return !queue.isEmpty();
    }

    /** Consumer side: drops queued input (a device reset). */
    public void clear() {
        queue.clear();
    }

    @Override
    public void close() {
        closed = true;
        Thread r = reader;
        if (r != null) {
            LockSupport.unpark(r);
        }
    }

    private void readLoop() {
        InputStream in = console.input();
        byte[] buf = new byte[256];
        byte[] out = new byte[512];
        try {
            while (!closed) {
                int n = in.read(buf);
                if (n < 0) {
                    return; // host input closed: the guest just sees no more keys
                }
                int m = escape.filter(buf, n, out);
                for (int i = 0; i < m && !closed; i++) {
                    while (!queue.offer(out[i]) && !closed) {
                        onData.run(); // make sure the device knows there is data to drain
                        LockSupport.parkNanos(1_000_000);
                    }
                }
                if (m > 0) {
                    onData.run();
                }
            }
        } catch (IOException e) {
            if (!closed) {
                log.log(System.Logger.Level.WARNING, name + ": console input failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, name + ": console input thread failed", e);
        }
    }
}
