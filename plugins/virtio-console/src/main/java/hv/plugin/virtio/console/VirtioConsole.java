package hv.plugin.virtio.console;

import hv.api.device.DeviceContext;
import hv.api.device.GuestMemoryException;
import hv.devices.console.ConsoleInput;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.VirtioDeviceIds;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.Virtqueue;
import hv.devices.virtio.WorkerBackedDevice;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One console port. Transmit: the worker copies each request's readable bytes to the host
 * console. Receive: the console reader thread queues keystrokes; the worker moves them into
 * receive buffers the driver has made available. A keystroke that finds no buffer waits in the
 * reader's queue until the driver adds one (its notify wakes the worker), so nothing is lost.
 */
final class VirtioConsole extends WorkerBackedDevice {

    static final int RECEIVEQ = 0;
    static final int TRANSMITQ = 1;
    static final int QUEUE_SIZE = 128;
    /** struct virtio_console_config: cols, rows, max_nr_ports, emerg_wr (5.3.4); all zero here. */
    static final int CONFIG_SIZE = 12;

    private final DeviceContext context;
    private final boolean readInput;
    private final ConsoleInput input;
    private final byte[] buffer = new byte[4096]; // worker thread only
    private Signal receive;
    private Signal transmit;
    private boolean outputErrorLogged;

    VirtioConsole(DeviceContext context, boolean readInput) {
        super("io", 16);
        this.context = context;
        this.readInput = readInput;
        this.input = new ConsoleInput(context.instanceName(), context.console(), 4096, this::inputArrived, context.logger());
    }

    @Override
    public int deviceId() {
        return VirtioDeviceIds.CONSOLE;
    }

    @Override
    public long deviceFeatures() {
        return 0; // no SIZE, no MULTIPORT, no EMERG_WRITE
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    @Override
    public long readConfig(int offset, int size) {
        return 0;
    }

    @Override
    protected void attachWorker(DeviceWorker worker) {
        this.receive = worker.signal(this::fillReceiveBuffers);
        this.transmit = worker.signal(this::sendOutput);
    }

    @Override
    public void start() {
        super.start();
        if (readInput) {
            input.start();
        }
    }

    private void inputArrived() {
        receive.raise();
    }

    @Override
    public void activate(long negotiatedFeatures) {
        receive.raise();
        transmit.raise();
    }

    @Override
    public void queueNotified(int index) {
        if (index == RECEIVEQ) {
            receive.raise();
        } else if (index == TRANSMITQ) {
            transmit.raise();
        }
    }

    /** Worker: guest output to the host console. */
    private void sendOutput() {
        Virtqueue q = virtio.queue(TRANSMITQ);
        OutputStream out = context.console().output();
        DescriptorChain c;
        boolean wrote = false;
        while ((c = q.pop()) != null) {
            try {
                long left = c.readableBytes();
                long at = 0;
                while (left > 0) {
                    int n = c.read(at, ByteBuffer.wrap(buffer, 0, (int) Math.min(buffer.length, left)));
                    if (n <= 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    wrote = true;
                    at += n;
                    left -= n;
                }
            } catch (GuestMemoryException e) {
                virtio.errors().report(VirtioError.BAD_REQUEST, e.getMessage());
            } catch (IOException e) {
                outputFailed(e);
            }
            q.addUsed(c, 0); // nothing written into a transmit buffer
        }
        if (wrote) {
            try {
                out.flush();
            } catch (IOException e) {
                outputFailed(e);
            }
        }
        q.notifyIfNeeded();
    }

    /** Worker: queued keystrokes into the driver's receive buffers. */
    private void fillReceiveBuffers() {
        Virtqueue q = virtio.queue(RECEIVEQ);
        while (input.hasData()) {
            DescriptorChain c = q.pop();
            if (c == null) {
                break; // no buffer: the keys wait; the driver's next notify brings us back
            }
            int n = 0;
            int cap = (int) Math.min(c.writableBytes(), buffer.length);
            int b;
            while (n < cap && (b = input.poll()) >= 0) {
                buffer[n++] = (byte) b;
            }
            try {
                q.addUsed(c, c.write(0, ByteBuffer.wrap(buffer, 0, n)));
            } catch (GuestMemoryException e) {
                virtio.errors().report(VirtioError.BAD_REQUEST, e.getMessage());
                q.addUsed(c, 0);
            }
        }
        q.notifyIfNeeded();
    }

    private void outputFailed(IOException e) {
        if (!outputErrorLogged) {
            outputErrorLogged = true;
            virtio.logger().log(System.Logger.Level.WARNING, virtio.name() + ": console output failed: " + e.getMessage());
        }
    }

    @Override
    protected void closeBackend() {
        input.close();
    }
}
