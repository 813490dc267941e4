package hv.devices.virtio;

import hv.api.device.GuestMemory;
import hv.api.device.InterruptLine;
import hv.api.device.MmioHandler;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The virtio-mmio transport, version 2 ("modern"), virtio 1.2 section 4.2.2. Control registers
 * (status, features, queue setup, which a driver touches only while bringing the device up)
 * are handled under this object's monitor; the data path (QueueNotify, InterruptStatus,
 * InterruptACK) is lock-free, so vCPUs never wait on each other or on the device.
 *
 * <p>Reset (status 0) is asynchronous: the device is asked to quiesce and status keeps reading
 * non-zero until it has (the driver must wait for 0, 2.4.1, and Linux's virtio_mmio polls for
 * it), so a vCPU never blocks on a device thread finishing its I/O.
 */
public final class VirtioMmioTransport implements MmioHandler, VirtioContext {

    public static final int MAGIC = 0x74726976; // "virt"
    public static final int VERSION = 2;
    /** Vendor id: "HV" in ASCII; any value is allowed (4.2.2). */
    public static final int VENDOR_ID = 0x4856;

    static final int REG_MAGIC = 0x000;
    static final int REG_VERSION = 0x004;
    static final int REG_DEVICE_ID = 0x008;
    static final int REG_VENDOR_ID = 0x00c;
    static final int REG_DEVICE_FEATURES = 0x010;
    static final int REG_DEVICE_FEATURES_SEL = 0x014;
    static final int REG_DRIVER_FEATURES = 0x020;
    static final int REG_DRIVER_FEATURES_SEL = 0x024;
    static final int REG_QUEUE_SEL = 0x030;
    static final int REG_QUEUE_NUM_MAX = 0x034;
    static final int REG_QUEUE_NUM = 0x038;
    static final int REG_QUEUE_READY = 0x044;
    static final int REG_QUEUE_NOTIFY = 0x050;
    static final int REG_INTERRUPT_STATUS = 0x060;
    static final int REG_INTERRUPT_ACK = 0x064;
    static final int REG_STATUS = 0x070;
    static final int REG_QUEUE_DESC_LOW = 0x080;
    static final int REG_QUEUE_DESC_HIGH = 0x084;
    static final int REG_QUEUE_DRIVER_LOW = 0x090;
    static final int REG_QUEUE_DRIVER_HIGH = 0x094;
    static final int REG_QUEUE_DEVICE_LOW = 0x0a0;
    static final int REG_QUEUE_DEVICE_HIGH = 0x0a4;
    static final int REG_SHM_SEL = 0x0ac;
    static final int REG_SHM_LEN_LOW = 0x0b0;
    static final int REG_SHM_LEN_HIGH = 0x0b4;
    static final int REG_SHM_BASE_LOW = 0x0b8;
    static final int REG_SHM_BASE_HIGH = 0x0bc;
    static final int REG_CONFIG_GENERATION = 0x0fc;
    static final int CONFIG_SPACE = 0x100;

    /** InterruptStatus bits (4.2.2). */
    public static final int INT_USED_BUFFER = 1;
    public static final int INT_CONFIG_CHANGE = 2;

    private final String name;
    private final VirtioDevice device;
    private final GuestMemory memory;
    private final InterruptLine irq;
    private final System.Logger log;
    private final VirtioErrors errors;
    private final Virtqueue[] queues;
    private final long offeredFeatures;
    private final int configSize;

    private volatile int status;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private long driverFeatures;
    private volatile long negotiatedFeatures;
    private int queueSel;
    private volatile boolean resetting;
    private int resetToken;
    private final AtomicInteger interruptStatus = new AtomicInteger();
    private final AtomicInteger configGeneration = new AtomicInteger();
    private final Virtqueue.Host queueHost = new Virtqueue.Host() {
        @Override
        public GuestMemory memory() {
            return memory;
        }

        @Override
        public VirtioErrors errors() {
            return errors;
        }

        @Override
        public long negotiatedFeatures() {
            return negotiatedFeatures;
        }

        @Override
        public void signalUsed() {
            raiseInterrupt(INT_USED_BUFFER);
        }

        @Override
        public void needsReset(VirtioError kind, String detail) {
            VirtioMmioTransport.this.needsReset(kind, detail);
        }
    };

    public VirtioMmioTransport(String name, VirtioDevice device, GuestMemory memory, InterruptLine irq, System.Logger log) {
        this.name = name;
        this.device = device;
        this.memory = memory;
        this.irq = irq;
        this.log = log;
        this.errors = new VirtioErrors(name, log);
        int n = device.queueCount();
        if (n < 0 || n > 1024) {
            throw new IllegalArgumentException(name + ": queue count " + n);
        }
        this.queues = new Virtqueue[n];
        for (int i = 0; i < n; i++) {
            int max = device.queueMaxSize(i);
            if (max <= 0 || max > Virtqueue.MAX_SIZE || (max & (max - 1)) != 0) {
                throw new IllegalArgumentException(name + ": queue " + i + " max size " + max + " is not a power of two <= 32768");
            }
            queues[i] = new Virtqueue(queueHost, i, max);
        }
        this.offeredFeatures = device.deviceFeatures() | VirtioFeatures.TRANSPORT_OFFERED;
        this.configSize = Math.max(0, device.configSize());
        device.attach(this);
    }

    // ---- VirtioContext ----------------------------------------------------------------------

    @Override
    public Virtqueue queue(int index) {
        return queues[index];
    }

    @Override
    public long negotiatedFeatures() {
        return negotiatedFeatures;
    }

    @Override
    public void configChanged() {
        configGeneration.incrementAndGet();
        if ((status & VirtioStatus.DRIVER_OK) != 0) {
            raiseInterrupt(INT_CONFIG_CHANGE);
        }
    }

    @Override
    public void needsReset(VirtioError kind, String detail) {
        errors.report(kind, detail);
        boolean notify;
        synchronized (this) {
            if (resetting || (status & VirtioStatus.DEVICE_NEEDS_RESET) != 0) {
                return;
            }
            status |= VirtioStatus.DEVICE_NEEDS_RESET;
            notify = (status & VirtioStatus.DRIVER_OK) != 0;
        }
        log.log(System.Logger.Level.WARNING, name + ": device needs reset (" + kind.description() + ")");
        if (notify) {
            raiseInterrupt(INT_CONFIG_CHANGE); // 2.1.2: tell a running driver
        }
    }

    @Override
    public VirtioErrors errors() {
        return errors;
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public System.Logger logger() {
        return log;
    }

    public VirtioDevice device() {
        return device;
    }

    public int status() {
        return status;
    }

    public int interruptStatus() {
        return interruptStatus.get();
    }

    public long offeredFeatures() {
        return offeredFeatures;
    }

    // ---- interrupts (lock-free) -------------------------------------------------------------

    private void raiseInterrupt(int bit) {
        int old;
        do {
            old = interruptStatus.get();
            if ((old & bit) == bit) {
                return; // already pending: the line is (being) driven high
            }
        } while (!interruptStatus.compareAndSet(old, old | bit));
        syncLine();
    }

    private void acknowledge(int bits) {
        int old;
        do {
            old = interruptStatus.get();
        } while (!interruptStatus.compareAndSet(old, old & ~bits));
        syncLine();
    }

    /**
     * Drives the line from the status. A racing set/ack pair could apply their line levels in
     * the opposite order; re-reading after each set and repeating until stable makes the last
     * level written the current one.
     */
    private void syncLine() {
        int s;
        do {
            s = interruptStatus.get();
            irq.set(s != 0);
        } while (interruptStatus.get() != s);
    }

    // ---- MMIO -------------------------------------------------------------------------------

    @Override
    public long read(long offset, int size) {
        if (offset >= CONFIG_SPACE) {
            return readConfig(offset - CONFIG_SPACE, size);
        }
        if (size != 4 || (offset & 3) != 0 || offset < 0) {
            return 0; // 4.2.2.2: control registers are 32-bit only
        }
        return switch ((int) offset) {
            case REG_MAGIC -> MAGIC;
            case REG_VERSION -> VERSION;
            case REG_DEVICE_ID -> device.deviceId();
            case REG_VENDOR_ID -> VENDOR_ID;
            case REG_DEVICE_FEATURES -> deviceFeaturesWord();
            case REG_QUEUE_NUM_MAX -> queueNumMax();
            case REG_QUEUE_READY -> queueReady();
            case REG_INTERRUPT_STATUS -> interruptStatus.get() & 0xffff_ffffL;
            case REG_STATUS -> status & 0xff;
            case REG_SHM_LEN_LOW, REG_SHM_LEN_HIGH, REG_SHM_BASE_LOW, REG_SHM_BASE_HIGH ->
                    0xffff_ffffL; // no shared memory regions: length -1 (4.2.2)
            case REG_CONFIG_GENERATION -> configGeneration.get() & 0xffff_ffffL;
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset >= CONFIG_SPACE) {
            writeConfig(offset - CONFIG_SPACE, size, value);
            return;
        }
        if (size != 4 || (offset & 3) != 0 || offset < 0) {
            return;
        }
        int v = (int) value;
        switch ((int) offset) {
            case REG_QUEUE_NOTIFY -> notifyQueue(v);
            case REG_INTERRUPT_ACK -> acknowledge(v & (INT_USED_BUFFER | INT_CONFIG_CHANGE));
            case REG_STATUS -> writeStatus(v & 0xff);
            default -> writeControl((int) offset, v);
        }
    }

    private synchronized long deviceFeaturesWord() {
        return switch (deviceFeaturesSel) {
            case 0 -> offeredFeatures & 0xffff_ffffL;
            case 1 -> offeredFeatures >>> 32;
            default -> 0;
        };
    }

    private synchronized long queueNumMax() {
        return queueSel < queues.length ? queues[queueSel].maxSize() : 0;
    }

    private synchronized long queueReady() {
        return queueSel < queues.length && queues[queueSel].enabled() ? 1 : 0;
    }

    private void notifyQueue(int v) {
        int q = v & 0xffff; // without NOTIFICATION_DATA the value is the queue index
        if (q >= queues.length || resetting || (status & VirtioStatus.DRIVER_OK) == 0 || !queues[q].isReady()) {
            return;
        }
        try {
            device.queueNotified(q);
        } catch (RuntimeException e) {
            deviceFailed("queueNotified", e);
        }
    }

    private synchronized void writeControl(int offset, int v) {
        if (resetting) {
            return;
        }
        switch (offset) {
            case REG_DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case REG_DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case REG_DRIVER_FEATURES -> {
                if ((status & VirtioStatus.FEATURES_OK) != 0) {
                    errors.report(VirtioError.STATUS_INVALID, "driver features written after FEATURES_OK");
                } else if (driverFeaturesSel == 0) {
                    driverFeatures = (driverFeatures & 0xffff_ffff_0000_0000L) | (v & 0xffff_ffffL);
                } else if (driverFeaturesSel == 1) {
                    driverFeatures = (driverFeatures & 0xffff_ffffL) | ((long) v << 32);
                } else if (v != 0) {
                    driverFeatures |= 1L << 63; // a feature beyond bit 63: not offered, refused at FEATURES_OK
                }
            }
            case REG_QUEUE_SEL -> queueSel = v < 0 ? Integer.MAX_VALUE : v; // unsigned: huge = no such queue
            case REG_QUEUE_NUM, REG_QUEUE_DESC_LOW, REG_QUEUE_DESC_HIGH, REG_QUEUE_DRIVER_LOW,
                 REG_QUEUE_DRIVER_HIGH, REG_QUEUE_DEVICE_LOW, REG_QUEUE_DEVICE_HIGH -> writeQueueConfig(offset, v);
            case REG_QUEUE_READY -> writeQueueReady(v);
            default -> {
                // read-only or unimplemented (SHMSel selects nothing: there are no regions)
            }
        }
    }

    private void writeQueueConfig(int offset, int v) {
        if (queueSel < 0 || queueSel >= queues.length) {
            return;
        }
        Virtqueue q = queues[queueSel];
        if (q.enabled()) {
            errors.report(VirtioError.QUEUE_CONFIG_WHILE_ENABLED,
                    String.format("queue %d register 0x%03x written while enabled", queueSel, offset));
            return;
        }
        long lo = v & 0xffff_ffffL;
        long hi = (long) v << 32;
        switch (offset) {
            case REG_QUEUE_NUM -> q.setSize(v);
            case REG_QUEUE_DESC_LOW -> q.setDescAddr((q.descAddr() & 0xffff_ffff_0000_0000L) | lo);
            case REG_QUEUE_DESC_HIGH -> q.setDescAddr((q.descAddr() & 0xffff_ffffL) | hi);
            case REG_QUEUE_DRIVER_LOW -> q.setAvailAddr((q.availAddr() & 0xffff_ffff_0000_0000L) | lo);
            case REG_QUEUE_DRIVER_HIGH -> q.setAvailAddr((q.availAddr() & 0xffff_ffffL) | hi);
            case REG_QUEUE_DEVICE_LOW -> q.setUsedAddr((q.usedAddr() & 0xffff_ffff_0000_0000L) | lo);
            case REG_QUEUE_DEVICE_HIGH -> q.setUsedAddr((q.usedAddr() & 0xffff_ffffL) | hi);
            default -> {
            }
        }
    }

    private void writeQueueReady(int v) {
        if (queueSel < 0 || queueSel >= queues.length) {
            return;
        }
        Virtqueue q = queues[queueSel];
        if (v == 0) {
            q.reset(); // Linux's vm_del_vq disables a queue this way and checks it reads back 0
            return;
        }
        if (q.enabled()) {
            return;
        }
        if ((status & VirtioStatus.FEATURES_OK) == 0) {
            errors.report(VirtioError.STATUS_INVALID, "queue " + queueSel + " enabled before FEATURES_OK");
            return;
        }
        String problem = q.enable(negotiatedFeatures);
        if (problem != null) {
            VirtioError kind = problem.contains("size") ? VirtioError.QUEUE_SIZE_INVALID : VirtioError.QUEUE_RING_INVALID;
            needsResetLocked(kind, problem);
        }
    }

    /** needsReset from inside the monitor: the interrupt is raised after the status update. */
    private void needsResetLocked(VirtioError kind, String detail) {
        errors.report(kind, detail);
        if (resetting || (status & VirtioStatus.DEVICE_NEEDS_RESET) != 0) {
            return;
        }
        status |= VirtioStatus.DEVICE_NEEDS_RESET;
        log.log(System.Logger.Level.WARNING, name + ": device needs reset (" + kind.description() + ")");
        if ((status & VirtioStatus.DRIVER_OK) != 0) {
            raiseInterrupt(INT_CONFIG_CHANGE);
        }
    }

    private void writeStatus(int v) {
        if (v == 0) {
            beginReset();
            return;
        }
        boolean activate = false;
        long features;
        synchronized (this) {
            if (resetting) {
                return; // the driver must wait for status to read 0 first
            }
            int old = status;
            int drv = v & VirtioStatus.DRIVER_BITS;
            int oldDrv = old & VirtioStatus.DRIVER_BITS;
            if ((oldDrv & ~drv) != 0) {
                errors.report(VirtioError.STATUS_INVALID, String.format("status 0x%02x -> 0x%02x clears bits", old, v));
                return;
            }
            int added = drv & ~oldDrv;
            int next = old | drv;
            if ((added & VirtioStatus.FEATURES_OK) != 0) {
                if ((next & (VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER)) != (VirtioStatus.ACKNOWLEDGE | VirtioStatus.DRIVER)) {
                    errors.report(VirtioError.STATUS_INVALID, "FEATURES_OK without ACKNOWLEDGE|DRIVER");
                    next &= ~VirtioStatus.FEATURES_OK;
                } else if (!acceptable(driverFeatures)) {
                    errors.report(VirtioError.FEATURES_REJECTED, String.format("driver features 0x%x, offered 0x%x", driverFeatures, offeredFeatures));
                    next &= ~VirtioStatus.FEATURES_OK; // 3.1.1: the driver re-reads and gives up
                } else {
                    negotiatedFeatures = driverFeatures;
                }
            }
            if ((added & VirtioStatus.DRIVER_OK) != 0) {
                if ((next & VirtioStatus.FEATURES_OK) == 0) {
                    errors.report(VirtioError.STATUS_INVALID, "DRIVER_OK without FEATURES_OK");
                    next &= ~VirtioStatus.DRIVER_OK;
                } else {
                    activate = true;
                }
            }
            status = next;
            features = negotiatedFeatures;
        }
        if (activate) {
            try {
                device.activate(features);
            } catch (RuntimeException e) {
                deviceFailed("activate", e);
            }
        }
    }

    private boolean acceptable(long features) {
        if ((features & ~offeredFeatures) != 0 || (features & VirtioFeatures.VERSION_1) == 0) {
            return false;
        }
        try {
            return device.acceptFeatures(features);
        } catch (RuntimeException e) {
            deviceFailed("acceptFeatures", e);
            return false;
        }
    }

    private long readConfig(long off, int size) {
        if (!configAccessOk(off, size)) {
            return 0;
        }
        try {
            long v = device.readConfig((int) off, size);
            return size == 8 ? v : v & ((1L << (size * 8)) - 1);
        } catch (RuntimeException e) {
            deviceFailed("readConfig", e);
            return 0;
        }
    }

    private void writeConfig(long off, int size, long value) {
        if (!configAccessOk(off, size) || resetting) {
            return;
        }
        try {
            device.writeConfig((int) off, size, size == 8 ? value : value & ((1L << (size * 8)) - 1));
        } catch (RuntimeException e) {
            deviceFailed("writeConfig", e);
        }
    }

    private boolean configAccessOk(long off, int size) {
        return (size == 1 || size == 2 || size == 4 || size == 8) && off >= 0 && off + size <= configSize;
    }

    private void deviceFailed(String where, RuntimeException e) {
        if (errors.count(VirtioError.DEVICE_FAILURE) == 0) {
            log.log(System.Logger.Level.ERROR, name + ": device " + where + " failed", e);
        }
        needsReset(VirtioError.DEVICE_FAILURE, where + ": " + e);
    }

    // ---- reset ------------------------------------------------------------------------------

    /** Starts a device reset; status reads 0 once the device has quiesced. */
    public void beginReset() {
        int token;
        boolean wasRunning;
        synchronized (this) {
            if (resetting) {
                return;
            }
            resetting = true;
            token = ++resetToken;
            wasRunning = (status & VirtioStatus.DRIVER_OK) != 0;
            for (Virtqueue q : queues) {
                q.reset(); // no new pops start; a pop in flight keeps its old, checked layout
            }
        }
        try {
            device.reset(() -> completeReset(token));
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.ERROR, name + ": device reset failed", e);
            completeReset(token);
        }
        if (!wasRunning) {
            // Never activated: nothing can be in flight, and status may already read 0, so the
            // driver would not wait. Finish now; the device's own callback becomes a no-op.
            completeReset(token);
        }
    }

    private void completeReset(int token) {
        synchronized (this) {
            if (!resetting || token != resetToken) {
                return; // a stale or repeated callback
            }
            for (Virtqueue q : queues) {
                q.reset();
            }
            deviceFeaturesSel = 0;
            driverFeaturesSel = 0;
            driverFeatures = 0;
            negotiatedFeatures = 0;
            queueSel = 0;
            interruptStatus.set(0);
            resetting = false; // before status: a driver that sees 0 may write at once
            status = 0;
        }
        syncLine();
    }

    public boolean isResetting() {
        return resetting;
    }

    /**
     * Machine reset (launcher thread, vCPUs stopped): resets and waits up to {@code timeout}
     * for the device to quiesce.
     *
     * @return false if the device did not finish in time
     */
    public boolean resetAndWait(long timeout, TimeUnit unit) {
        beginReset();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (resetting) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    // ---- state ------------------------------------------------------------------------------

    /** Transport, queues, then the device's own state (with its version); call while paused. */
    public synchronized void saveState(StateWriter out) {
        out.putInt(status);
        out.putInt(deviceFeaturesSel);
        out.putInt(driverFeaturesSel);
        out.putLong(driverFeatures);
        out.putLong(negotiatedFeatures);
        out.putInt(queueSel);
        out.putInt(interruptStatus.get());
        out.putInt(configGeneration.get());
        out.putInt(queues.length);
        for (Virtqueue q : queues) {
            q.saveState(out);
        }
        out.putInt(device.stateVersion());
        device.saveState(out);
    }

    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException(name + ": unknown virtio-mmio state version " + version);
        }
        boolean activate;
        long features;
        synchronized (this) {
            int st = in.getInt();
            deviceFeaturesSel = in.getInt();
            driverFeaturesSel = in.getInt();
            driverFeatures = in.getLong();
            negotiatedFeatures = in.getLong();
            queueSel = in.getInt();
            int isr = in.getInt();
            configGeneration.set(in.getInt());
            int n = in.getInt();
            if (n != queues.length) {
                throw new StateException(name + ": snapshot has " + n + " queues, device has " + queues.length);
            }
            for (Virtqueue q : queues) {
                q.restoreState(in, negotiatedFeatures);
            }
            status = st;
            resetting = false;
            interruptStatus.set(isr);
            activate = (st & VirtioStatus.DRIVER_OK) != 0;
            features = negotiatedFeatures;
        }
        device.restoreState(in, in.getInt());
        syncLine();
        if (activate) {
            device.activate(features);
        }
    }
}
