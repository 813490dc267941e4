package hv.devices.virtio;

import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

/**
 * What a virtio device plugin implements: the device type's part of virtio (its id, features,
 * configuration space and queues). The transport ({@link VirtioMmioTransport}) does the rest:
 * registers, feature negotiation, the status state machine, queue setup and validation,
 * interrupts. Wrap an instance in a {@link VirtioMmioDevice} to hand it to HV.
 *
 * <p>Threads: {@link #queueNotified}, {@link #readConfig} and {@link #writeConfig} run on vCPU
 * threads and must not block: hand work to a {@link hv.devices.queues.DeviceWorker}. Queues are
 * then served on the worker. A method that throws is caught by the transport, counted, and
 * the device is marked DEVICE_NEEDS_RESET; HV carries on.
 */
public interface VirtioDevice {

    /** The device type, virtio 1.2 section 5 (see {@link VirtioDeviceIds}). */
    int deviceId();

    /**
     * The device-type feature bits offered (bits 0..23 and any of 50..127 the type defines).
     * The transport adds VERSION_1, RING_INDIRECT_DESC and RING_EVENT_IDX itself.
     */
    long deviceFeatures();

    /**
     * A last word on the features the driver accepted (already a subset of those offered, with
     * VERSION_1). Return false to refuse FEATURES_OK, e.g. when a feature needs another.
     */
    default boolean acceptFeatures(long features) {
        return true;
    }

    /** Number of virtqueues. */
    int queueCount();

    /** Maximum size of queue {@code index}: a power of two, at most {@link Virtqueue#MAX_SIZE}. */
    int queueMaxSize(int index);

    /** Size in bytes of the device-specific configuration space (0 if none). */
    int configSize();

    /**
     * Reads {@code size} (1, 2, 4 or 8) bytes of configuration space at {@code offset},
     * little-endian; the range is already checked to lie within {@link #configSize()}.
     */
    long readConfig(int offset, int size);

    /** Writes configuration space; the default ignores writes (read-only config). */
    default void writeConfig(int offset, int size, long value) {
    }

    /** Called once, before anything else, with the transport's services. */
    void attach(VirtioContext context);

    /** The driver set DRIVER_OK: queues that are ready may be used from now on. */
    void activate(long negotiatedFeatures);

    /** The driver notified queue {@code index} (vCPU thread: hand off, do not block). */
    void queueNotified(int index);

    /**
     * The driver reset the device (status 0) or the machine is resetting. Stop using the queues
     * and drop in-flight work, then call {@code done} (from any thread) once no thread of the
     * device will touch guest memory or the queues any more; the driver sees status 0 only
     * then. Must not block the caller. If the device was never activated (no DRIVER_OK) the
     * transport completes the reset at once without waiting for {@code done}; a device that
     * hands {@link #activate} work to the same worker as its reset keeps the two ordered.
     */
    void reset(Runnable done);

    /** Starts backend threads; called once before the first vCPU runs. */
    default void start() {
    }

    /** Stop touching guest memory until {@link #resume()}; may wait for in-flight work. */
    default void pause() {
    }

    default void resume() {
    }

    /** Releases host resources. Must not throw. */
    default void close() {
    }

    default int stateVersion() {
        return 1;
    }

    /** Device-type state (the transport saves its own and the queues'). */
    default void saveState(StateWriter out) {
    }

    default void restoreState(StateReader in, int version) throws StateException {
    }
}
