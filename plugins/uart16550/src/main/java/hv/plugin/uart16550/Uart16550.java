package hv.plugin.uart16550;

import hv.api.device.Device;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceTreeNode;
import hv.api.device.MmioHandler;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.devices.console.ConsoleInput;
import hv.devices.queues.ByteQueue;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NS16550A, register by register (PC16550D data sheet, table II). Transmission is
 * instantaneous from the guest's point of view: a byte written to THR goes into a lock-free
 * queue that a writer thread drains to the host console; THR reads empty again at once unless
 * that queue is full (a stalled terminal), in which case THRE clears and the guest waits, as
 * with a slow real line. Received bytes wait in the reader's queue and move into the 16-byte
 * receive FIFO as the guest reads.
 *
 * <p>Guest register accesses are serialized by this object's monitor: a few field updates, no
 * I/O, uncontended unless the guest itself races on its UART. The interrupt line is computed
 * from volatile fields, so the reader and writer threads can update it without the monitor.
 */
final class Uart16550 implements Device, MmioHandler {

    // Register offsets (reg-shift 0, as QEMU virt's tree says by omission).
    static final int RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

    static final int IER_RDA = 0x01, IER_THRE = 0x02, IER_RLS = 0x04, IER_MS = 0x08;
    static final int IIR_NONE = 0x01, IIR_RLS = 0x06, IIR_RDA = 0x04, IIR_THRE = 0x02, IIR_MS = 0x00, IIR_FIFO = 0xc0;
    static final int LSR_DR = 0x01, LSR_OE = 0x02, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10;
    static final int FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02;
    static final int MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_DCD = 0x80;
    static final int FIFO_SIZE = 16;
    static final int OUTPUT_QUEUE = 8192;

    private final DeviceContext context;
    private final ConsoleInput input;
    private final ByteQueue output = new ByteQueue(OUTPUT_QUEUE);
    private final DeviceWorker writer;
    private final Signal flush;
    private final AtomicBoolean threPending = new AtomicBoolean();
    private final AtomicBoolean outputWasFull = new AtomicBoolean();
    private final AtomicLong droppedOutput = new AtomicLong();
    private final byte[] writeBuffer = new byte[1024]; // writer thread only

    // Registers. Volatile where the line computation (any thread) reads them.
    private volatile int ier;
    private volatile int lcr;
    private volatile int mcr;
    private volatile int fcr;
    private int scr;
    private int dll;
    private int dlm;
    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead;
    private volatile int rxCount;
    private volatile boolean overrun;
    private volatile boolean paused;
    private boolean outputErrorLogged;

    Uart16550(DeviceContext context) {
        this.context = context;
        this.input = new ConsoleInput(context.instanceName(), context.console(), 4096, this::updateLine, context.logger());
        this.writer = new DeviceWorker(context.instanceName() + "-output", 16, context.logger());
        this.flush = writer.signal(this::drainOutput);
    }

    @Override
    public MmioHandler mmio() {
        return this;
    }

    @Override
    public void start() {
        writer.start();
        input.start();
    }

    // ---- registers --------------------------------------------------------------------------

    @Override
    public long read(long offset, int size) {
        if (offset < 0 || offset > SCR) {
            return 0;
        }
        int v;
        synchronized (this) {
            v = readRegister((int) offset);
        }
        updateLine();
        return v;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset < 0 || offset > SCR) {
            return;
        }
        synchronized (this) {
            writeRegister((int) offset, (int) value & 0xff);
        }
        updateLine();
    }

    private int readRegister(int reg) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (reg) {
            case RBR_THR:
                return dlab ? dll : receive();
            case IER:
                return dlab ? dlm : ier;
            case IIR_FCR: {
                refill();
                int iir = interruptId();
                if (iir == IIR_THRE) {
                    threPending.set(false); // reading IIR acknowledges a THRE interrupt
                }
                return iir | ((fcr & FCR_ENABLE) != 0 ? IIR_FIFO : 0);
            }
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR: {
                refill();
                int lsr = (rxCount > 0 ? LSR_DR : 0) | (overrun ? LSR_OE : 0) | (outputHasRoom() ? LSR_THRE | LSR_TEMT : 0);
                overrun = false; // reading LSR clears the error bits
                return lsr;
            }
            case MSR:
                return modemStatus();
            default:
                return scr;
        }
    }

    private void writeRegister(int reg, int v) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (reg) {
            case RBR_THR -> {
                if (dlab) {
                    dll = v;
                } else {
                    transmit(v);
                }
            }
            case IER -> {
                if (dlab) {
                    dlm = v;
                } else {
                    int old = ier;
                    ier = v & 0x0f;
                    if ((old & IER_THRE) == 0 && (ier & IER_THRE) != 0 && outputHasRoom()) {
                        threPending.set(true); // enabling ETBEI with THR empty interrupts at once
                    }
                }
            }
            case IIR_FCR -> {
                if (((fcr ^ v) & FCR_ENABLE) != 0 || (v & FCR_CLEAR_RX) != 0) {
                    rxCount = 0; // toggling FIFO mode or the clear bit empties the receive FIFO
                    rxHead = 0;
                }
                fcr = v & 0xc9; // enable, DMA mode, trigger level; the clear bits self-clear
            }
            case LCR -> lcr = v;
            case MCR -> mcr = v & 0x1f;
            case LSR, MSR -> {
                // read-only (factory test writes are ignored)
            }
            default -> scr = v;
        }
    }

    private int interruptId() {
        int e = ier;
        if ((e & IER_RLS) != 0 && overrun) {
            return IIR_RLS;
        }
        if ((e & IER_RDA) != 0 && (rxCount > 0 || (!loopback() && input.hasData()))) {
            return IIR_RDA;
        }
        if ((e & IER_THRE) != 0 && threPending.get()) {
            return IIR_THRE;
        }
        return IIR_NONE; // modem status never changes outside loopback: no MS interrupt
    }

    private int modemStatus() {
        int m = mcr;
        if ((m & MCR_LOOP) != 0) {
            // Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD (data sheet, MCR bit 4).
            return ((m & 0x01) << 5) | ((m & 0x02) << 3) | ((m & 0x04) << 4) | ((m & 0x08) << 4);
        }
        return MSR_DCD | MSR_DSR | MSR_CTS;
    }

    private boolean loopback() {
        return (mcr & MCR_LOOP) != 0;
    }

    private int fifoCapacity() {
        return (fcr & FCR_ENABLE) != 0 ? FIFO_SIZE : 1;
    }

    /** Moves host keystrokes into the receive FIFO while there is room (not in loopback). */
    private void refill() {
        if (loopback()) {
            return;
        }
        int cap = fifoCapacity();
        while (rxCount < cap) {
            int b = input.poll();
            if (b < 0) {
                return;
            }
            rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
            rxCount++;
        }
    }

    private int receive() {
        refill();
        if (rxCount == 0) {
            return 0;
        }
        int b = rx[rxHead] & 0xff;
        rxHead = (rxHead + 1) % FIFO_SIZE;
        rxCount--;
        refill();
        return b;
    }

    private void transmit(int b) {
        if (loopback()) {
            if (rxCount < fifoCapacity()) {
                rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
                rxCount++;
            } else {
                overrun = true;
            }
            threPending.set(true);
            return;
        }
        if (!output.offer((byte) b)) {
            droppedOutput.incrementAndGet(); // written while THRE was clear: the guest's loss
            outputWasFull.set(true);
        } else if (outputHasRoom()) {
            threPending.set(true); // "sent" at once: THR empty again
        } else {
            threPending.set(false);
            outputWasFull.set(true);
        }
        flush.raise();
    }

    private boolean outputHasRoom() {
        return output.size() < output.capacity();
    }

    /**
     * Level of the interrupt line: high while IIR reports something. Called from vCPUs, the
     * reader and the writer; re-checks after setting so racing callers converge on the truth.
     */
    private void updateLine() {
        boolean level;
        do {
            level = !paused && interruptId() != IIR_NONE;
            context.interruptLine().set(level);
        } while (level != (!paused && interruptId() != IIR_NONE));
    }

    /** Writer thread: console output, then THRE again if the queue had filled up. */
    private void drainOutput() {
        OutputStream os = context.console().output();
        try {
            int n = 0;
            int b;
            while ((b = output.poll()) >= 0) {
                writeBuffer[n++] = (byte) b;
                if (n == writeBuffer.length) {
                    os.write(writeBuffer, 0, n);
                    n = 0;
                }
            }
            if (n > 0) {
                os.write(writeBuffer, 0, n);
            }
            os.flush();
        } catch (IOException e) {
            if (!outputErrorLogged) {
                outputErrorLogged = true;
                context.logger().log(System.Logger.Level.WARNING, context.instanceName() + ": console output failed: " + e.getMessage());
            }
        }
        if (outputWasFull.getAndSet(false)) {
            threPending.set(true);
            updateLine();
        }
    }

    /** Bytes the guest wrote while THRE was clear (lost, as on real hardware). */
    long droppedOutput() {
        return droppedOutput.get();
    }

    // ---- device -----------------------------------------------------------------------------

    @Override
    public void describe(DeviceTreeNode soc) {
        soc.child("serial@" + Long.toHexString(context.mmioBase()))
                .property("compatible", "ns16550a")
                .property("clock-frequency", 3_686_400)
                .reg(context.mmioBase(), context.mmioSize())
                .plicInterrupt(context.irq());
    }

    @Override
    public void reset() {
        synchronized (this) {
            ier = 0;
            lcr = 0;
            mcr = 0;
            fcr = 0;
            scr = 0;
            dll = 0;
            dlm = 0;
            rxHead = 0;
            rxCount = 0;
            overrun = false;
            threPending.set(false);
        }
        updateLine();
    }

    @Override
    public void pause() {
        paused = true;
        updateLine();
        writer.pause();
    }

    @Override
    public void resume() {
        writer.resume();
        paused = false;
        updateLine();
    }

    @Override
    public synchronized void saveState(StateWriter out) {
        out.putInt(ier);
        out.putInt(lcr);
        out.putInt(mcr);
        out.putInt(fcr);
        out.putInt(scr);
        out.putInt(dll);
        out.putInt(dlm);
        byte[] fifo = new byte[rxCount];
        for (int i = 0; i < fifo.length; i++) {
            fifo[i] = rx[(rxHead + i) % FIFO_SIZE];
        }
        out.putBytes(fifo);
        out.putBoolean(overrun);
        out.putBoolean(threPending.get());
    }

    @Override
    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException(context.instanceName() + ": unknown uart16550 state version " + version);
        }
        synchronized (this) {
            ier = in.getInt() & 0x0f;
            lcr = in.getInt() & 0xff;
            mcr = in.getInt() & 0x1f;
            fcr = in.getInt() & 0xc9;
            scr = in.getInt() & 0xff;
            dll = in.getInt() & 0xff;
            dlm = in.getInt() & 0xff;
            byte[] fifo = in.getBytes();
            if (fifo.length > FIFO_SIZE) {
                throw new StateException(context.instanceName() + ": receive FIFO of " + fifo.length + " bytes");
            }
            System.arraycopy(fifo, 0, rx, 0, fifo.length);
            rxHead = 0;
            rxCount = fifo.length;
            overrun = in.getBoolean();
            threPending.set(in.getBoolean());
        }
        updateLine();
    }

    @Override
    public void close() {
        input.close();
        writer.close();
    }
}
