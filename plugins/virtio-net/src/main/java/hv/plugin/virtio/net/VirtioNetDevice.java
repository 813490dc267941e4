package hv.plugin.virtio.net;

import hv.api.device.GuestMemoryException;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.api.platform.VcpuAssist;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.devices.queues.DeviceWorker;
import hv.devices.queues.Signal;
import hv.devices.virtio.DescriptorChain;
import hv.devices.virtio.VirtioContext;
import hv.devices.virtio.VirtioDevice;
import hv.devices.virtio.VirtioDeviceIds;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.Virtqueue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A virtio-net device (virtio 1.2 section 5.1) with one receive and one transmit queue.
 *
 * <p>Features offered: VIRTIO_NET_F_MAC (the address in config space), VIRTIO_NET_F_STATUS
 * (link up/down in config space, a configuration-change interrupt when it changes) and, unless
 * {@code csum=off}, VIRTIO_NET_F_CSUM and VIRTIO_NET_F_GUEST_CSUM: checksums are computed and
 * checked here in Java ({@link ChecksumOffload}) instead of by the guest's emulated CPU, and
 * frames leave complete, as any peer expects; unless {@code mrg-rxbuf=off}, VIRTIO_NET_F_MRG_RXBUF
 * (a received frame may fill several receive buffers, {@link RxWriter}). The transport adds VERSION_1, indirect
 * descriptors and EVENT_IDX. No segmentation offload (TSO/UFO) is offered.
 *
 * <p>Data path, all guest memory on the worker: the backend's frames arrive through
 * {@link RxPath} (a bounded lock-free queue) and a coalescing signal; the guest's transmit
 * notify raises another signal (the vCPU returns at once), and the worker reads each transmit
 * chain and hands the frame to {@link NetworkBackend#send}, which never blocks. Nothing the
 * worker does blocks, so by default it has no thread of its own: its tasks run on the vCPU
 * threads ({@link VcpuAssist}, {@code io=vcpu}), which saves a host-thread wake-up on each
 * frame's way in (backend, then vCPU; no device thread between) and on its way out (the
 * notifying vCPU sends it itself). {@code io=thread} gives it a thread of its own.
 */
final class VirtioNetDevice implements VirtioDevice {
    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
    /** Feature bits, 5.1.3. */
    static final long F_CSUM = 1L << 0;
    static final long F_GUEST_CSUM = 1L << 1;
    static final long F_MAC = 1L << 5;
    static final long F_MRG_RXBUF = 1L << 15;
    static final long F_STATUS = 1L << 16;
    /** Config status bits, 5.1.4. */
    static final int S_LINK_UP = 1;
    /** Config space: mac[6], status (le16) (5.1.4); the later fields exist only with MQ/MTU/... which are not offered. */
    static final int CONFIG_SIZE = 8;
    /** The largest frame either way: a 64 KiB IP packet plus the Ethernet header. */
    static final int MAX_FRAME = 65535 + 14;
    /** Chains served per worker turn before yielding to the other queue. */
    private static final int BATCH = 256;

    private final String name;
    private final MacAddress mac;
    private final int queueSize;
    private final boolean offerChecksums;
    private final NetCounters counters = new NetCounters();
    private final RxPath rx;
    private final boolean offerMergeable;
    private final RxWriter rxWriter;
    private final DeviceWorker worker;
    private final Signal rxSignal;
    private final Signal txSignal;
    private final ByteBuffer txHeader = ByteBuffer.allocate(VirtioNetHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer txFrame = ByteBuffer.allocate(MAX_FRAME);
    private final System.Logger log;
    private volatile VirtioContext ctx;
    /** A driver session is running; read and written on the worker only, as are the two below. */
    private boolean open;
    /** VIRTIO_NET_F_CSUM negotiated: the guest may hand over frames with NEEDS_CSUM. */
    private boolean txChecksum;
    /** VIRTIO_NET_F_GUEST_CSUM negotiated: received frames may be marked DATA_VALID. */
    private boolean rxChecksum;
    /** VIRTIO_NET_F_MRG_RXBUF negotiated: a received frame may span several chains. */
    private boolean mergeable;
    private volatile NetworkBackend backend;

    /** @param assist where the work runs: the vCPU threads it lends, or (null) a thread of the device's own */
    VirtioNetDevice(String name, MacAddress mac, int queueSize, int rxQueueFrames, boolean offerChecksums, boolean offerMergeable,
                    VcpuAssist assist, System.Logger log) {
        this.name = name;
        this.mac = mac;
        this.queueSize = queueSize;
        this.offerChecksums = offerChecksums;
        this.offerMergeable = offerMergeable;
        this.rxWriter = new RxWriter(queueSize, counters, this::badReceiveBuffer);
        this.log = log;
        this.worker = assist != null ? new DeviceWorker(name + "-io", 64, log, assist) : new DeviceWorker(name + "-io", 64, log);
        this.rxSignal = worker.signal(this::serveRx);
        this.txSignal = worker.signal(this::serveTx);
        this.rx = new RxPath(rxQueueFrames, MAX_FRAME, counters, rxSignal::raise, this::linkChanged);
    }

    /** Where the backend delivers frames and link changes. */
    FrameSink sink() {
        return rx;
    }

    /** The backend, once opened (it may deliver to {@link #sink()} before this returns). */
    void connect(NetworkBackend b) {
        this.backend = b;
        if (b.linkUp()) {
            rx.linkChanged(true);
        }
    }

    MacAddress mac() {
        return mac;
    }

    /** True once a driver session is open and frames are taken (tests wait for it after DRIVER_OK). */
    boolean receiving() {
        return rx.active;
    }

    Map<String, Long> counters() {
        return counters.snapshot();
    }

    // ---- VirtioDevice -----------------------------------------------------------------------

    @Override
    public int deviceId() {
        return VirtioDeviceIds.NET;
    }

    @Override
    public long deviceFeatures() {
        return F_MAC | F_STATUS | (offerChecksums ? F_CSUM | F_GUEST_CSUM : 0) | (offerMergeable ? F_MRG_RXBUF : 0);
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int queueMaxSize(int index) {
        return queueSize;
    }

    @Override
    public int configSize() {
        return CONFIG_SIZE;
    }

    /** mac[0..5] then status as le16: built as one little-endian 8-byte image. */
    @Override
    public long readConfig(int offset, int size) {
        long image = 0;
        for (int i = 0; i < 6; i++) {
            image |= (mac.octet(i) & 0xffL) << (8 * i);
        }
        image |= (long) (rx.linkUp() ? S_LINK_UP : 0) << 48;
        long v = image >>> (8 * offset);
        return size >= 8 ? v : v & ((1L << (8 * size)) - 1);
    }

    @Override
    public void attach(VirtioContext context) {
        this.ctx = context;
    }

    /**
     * DRIVER_OK. The session opens on the worker, after any reset still queued there: a reset
     * of a never-activated device completes at once in the transport, so its clean-up task may
     * still be waiting, and must not clear what the new session receives.
     */
    @Override
    public void activate(long negotiatedFeatures) {
        worker.post(() -> {
            txChecksum = (negotiatedFeatures & F_CSUM) != 0;
            rxChecksum = (negotiatedFeatures & F_GUEST_CSUM) != 0;
            mergeable = (negotiatedFeatures & F_MRG_RXBUF) != 0;
            open = true;
            rx.active = true;
            serveRx();
            serveTx();
        });
    }

    @Override
    public void queueNotified(int index) {
        if (index == TX_QUEUE) {
            txSignal.raise();
        } else if (index == RX_QUEUE) {
            rxSignal.raise(); // new receive buffers: frames may be waiting for them
        }
    }

    @Override
    public void reset(Runnable done) {
        rx.active = false;
        // Run after whatever the worker is doing, so no guest memory is touched once done runs.
        Runnable quiesce = () -> {
            open = false;
            rxWriter.clear();
            rx.clear();
            rx.resumeIfDrained(backend);
            done.run();
        };
        if (!worker.post(quiesce)) {
            quiesce.run(); // the worker is closed: nothing else can be running
        }
    }

    @Override
    public void start() {
        worker.start();
    }

    /**
     * After a restore (snapshot or migration) the link status in config space is this side's
     * backend's, which need not be what the guest last read on the other side (it connected
     * before the restore, or not yet, or failed): a configuration change tells the driver to read
     * it again (virtio 1.2 section 4.2.2.1 / 5.1.4: the driver re-reads config on that interrupt), so
     * the carrier the guest believes in follows the real one. Nothing of the device's own is saved:
     * the negotiated features come back through activate, and frames waiting in the receive
     * path are not the guest's yet (like frames lost on the wire).
     */
    @Override
    public void restoreState(StateReader in, int version) throws StateException {
        if (version != stateVersion()) {
            throw new StateException(name + ": unknown virtio-net state version " + version);
        }
        VirtioContext c = ctx;
        if (c != null) {
            c.configChanged();
        }
    }

    /**
     * Stops the worker, then gives the receive chains it holds for a frame still waiting for more
     * buffers (mergeable buffers, {@link RxWriter}) back to the receive queue: a snapshot taken
     * now saves a ring index before them, so the restored device pops them again instead of the
     * guest's ring shrinking for good. Here the give-back runs on the pausing thread, which is
     * safe only because the worker is stopped (its pause is the hand-over); on resume the worker
     * pops them again when the guest posts more buffers.
     */
    @Override
    public void pause() {
        if (!worker.pause()) {
            log.log(System.Logger.Level.WARNING, name + ": worker did not pause within its timeout");
            return; // the worker may still be running: leave its chains alone
        }
        VirtioContext c = ctx;
        if (c != null && open) {
            int kept = rxWriter.giveBack(c.queue(RX_QUEUE));
            if (kept > 0) {
                counters.inc(NetCounter.RX_CHAINS_KEPT_AT_PAUSE);
                log.log(System.Logger.Level.DEBUG, () -> name + ": " + kept + " receive chains could not be given back at pause");
            }
        }
    }

    @Override
    public void resume() {
        worker.resume();
    }

    @Override
    public void close() {
        NetworkBackend b = backend;
        if (b != null) {
            b.close();
        }
        worker.close();
        // Drops are worth a line when the VM ends (a slow guest, a slow peer, a bad driver); a
        // clean run only logs at debug level.
        boolean dropped = counters.get(NetCounter.RX_DROPPED_QUEUE_FULL) + counters.get(NetCounter.RX_DROPPED_TOO_BIG)
                + counters.get(NetCounter.TX_DROPPED) + counters.get(NetCounter.TX_BAD_HEADER) + counters.get(NetCounter.TX_BAD_LENGTH) > 0;
        log.log(dropped ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, () -> name + " counters: " + counters.snapshot()
                + (b != null ? " backend: " + b.counters() : ""));
    }

    // ---- link -------------------------------------------------------------------------------

    /**
     * Backend thread: the link went up or down; the driver reads the status and gets a config
     * interrupt. The interrupt is raised on the worker, so that a paused device (a snapshot or a
     * migration writing its state) changes no interrupt state meanwhile; it follows on resume.
     */
    private void linkChanged(boolean up) {
        if (!worker.post(this::configChanged)) {
            configChanged(); // not started or closed: no snapshot can be running
        }
    }

    private void configChanged() {
        VirtioContext c = ctx;
        if (c != null) {
            c.configChanged();
        }
    }

    private void badReceiveBuffer(String detail) {
        VirtioContext c = ctx;
        if (c != null) {
            c.errors().report(VirtioError.BAD_REQUEST, name + ": " + detail);
        }
    }

    // ---- worker -----------------------------------------------------------------------------

    /** Moves waiting frames into the guest's receive buffers. */
    private void serveRx() {
        VirtioContext c = ctx;
        if (c == null || !open) {
            return;
        }
        Virtqueue q = c.queue(RX_QUEUE);
        int budget = BATCH;
        RxFrame f;
        try {
            while (budget > 0 && (f = rx.peek()) != null) {
                RxWriter.Outcome o = rxWriter.deliver(q, f, rxChecksum, mergeable);
                if (o == RxWriter.Outcome.NO_BUFFERS) {
                    break; // the guest's next notify on the receive queue brings us back
                }
                if (o == RxWriter.Outcome.DELIVERED) {
                    counters.inc(NetCounter.RX_FRAMES);
                    counters.add(NetCounter.RX_BYTES, f.length);
                } else {
                    counters.inc(NetCounter.RX_DROPPED_TOO_BIG);
                }
                rx.consumed(f);
                budget--;
            }
        } catch (GuestMemoryException e) {
            // The chain was validated when popped; RAM does not shrink. Defensive only.
            c.errors().report(VirtioError.DEVICE_FAILURE, name + ": receive buffer not writable: " + e.getMessage());
        }
        q.notifyIfNeeded();
        rx.resumeIfDrained(backend);
        if (budget == 0) {
            rxSignal.raise(); // more may be waiting: let transmit have a turn first
        }
    }

    /** Sends what the guest queued for transmission. */
    private void serveTx() {
        VirtioContext c = ctx;
        if (c == null || !open) {
            return;
        }
        Virtqueue q = c.queue(TX_QUEUE);
        int budget = BATCH;
        DescriptorChain chain;
        while (budget > 0 && (chain = q.pop()) != null) {
            transmit(c, chain);
            q.addUsed(chain, 0); // the device writes nothing into a transmit buffer
            budget--;
        }
        q.notifyIfNeeded();
        if (budget == 0) {
            txSignal.raise();
        }
    }

    /** One transmit request: virtio_net_hdr then the frame, in the chain's readable buffers (5.1.6.2). */
    private void transmit(VirtioContext c, DescriptorChain chain) {
        long total = chain.readableBytes();
        long frameLength = total - VirtioNetHeader.SIZE;
        if (frameLength < 14 || frameLength > MAX_FRAME) {
            counters.inc(NetCounter.TX_BAD_LENGTH);
            c.errors().report(VirtioError.BAD_REQUEST, name + ": transmit frame of " + frameLength + " bytes");
            return;
        }
        try {
            txHeader.clear();
            chain.read(0, txHeader);
            int flags = txHeader.get(VirtioNetHeader.OFF_FLAGS) & 0xff;
            int gso = txHeader.get(VirtioNetHeader.OFF_GSO_TYPE) & 0xff;
            boolean needsChecksum = (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0;
            // No HOST_TSO/UFO feature is offered, so a driver must not ask for segmentation, nor
            // for a checksum unless CSUM was negotiated (5.1.6.2.1).
            if (gso != VirtioNetHeader.GSO_NONE || needsChecksum && !txChecksum) {
                counters.inc(NetCounter.TX_BAD_HEADER);
                c.errors().report(VirtioError.BAD_REQUEST, name + ": transmit header asks for offloads not negotiated (flags "
                        + flags + ", gso_type " + gso + ")");
                return;
            }
            txFrame.clear().limit((int) frameLength);
            chain.read(VirtioNetHeader.SIZE, txFrame);
            txFrame.flip();
            if (needsChecksum) {
                int start = txHeader.getShort(VirtioNetHeader.OFF_CSUM_START) & 0xffff;
                int offset = txHeader.getShort(VirtioNetHeader.OFF_CSUM_OFFSET) & 0xffff;
                if (!ChecksumOffload.complete(txFrame.array(), (int) frameLength, start, offset)) {
                    counters.inc(NetCounter.TX_BAD_HEADER);
                    c.errors().report(VirtioError.BAD_REQUEST, name + ": csum_start " + start + " + csum_offset " + offset
                            + " outside a frame of " + frameLength + " bytes");
                    return;
                }
                counters.inc(NetCounter.TX_CHECKSUMMED);
            }
        } catch (GuestMemoryException e) {
            c.errors().report(VirtioError.DEVICE_FAILURE, name + ": transmit buffer not readable: " + e.getMessage());
            return;
        }
        NetworkBackend b = backend;
        if (b != null && b.send(txFrame)) {
            counters.inc(NetCounter.TX_FRAMES);
            counters.add(NetCounter.TX_BYTES, frameLength);
        } else {
            counters.inc(NetCounter.TX_DROPPED);
        }
    }
}
