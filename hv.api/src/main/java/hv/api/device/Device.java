package hv.api.device;

import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.api.state.StateException;

/**
 * One device instance. Lifecycle: created (by its provider) → {@link #start()} → running, with
 * {@link #pause()}/{@link #resume()} around snapshots → {@link #close()}. {@link #reset()} brings
 * it to its power-on state (guest reboot).
 *
 * <p>State is saved and restored explicitly, field by field, with a version number per device
 * type (no reflection, no Java serialization), so snapshots survive refactoring and can move
 * between hosts.
 */
public interface Device extends AutoCloseable {

    /** The register window, called on vCPU threads. */
    MmioHandler mmio();

    /** Adds this device's node under {@code /soc} (the parent given). */
    void describe(DeviceTreeNode soc);

    /** Starts backend threads or sockets; called once, just before the first vCPU runs. */
    default void start() {
    }

    /** Power-on state: registers, queues and pending interrupts cleared. */
    void reset();

    /** Stops touching guest memory and raising interrupts until {@link #resume()}. */
    default void pause() {
    }

    default void resume() {
    }

    /** The version of the layout {@link #saveState} writes. */
    default int stateVersion() {
        return 1;
    }

    /** Writes the device's guest-visible state; called while paused. */
    void saveState(StateWriter out);

    /**
     * Reads what {@link #saveState} wrote, possibly by an older version of the device.
     *
     * @throws StateException on an unknown version or a malformed stream
     */
    void restoreState(StateReader in, int version) throws StateException;

    /** Releases host resources (files, sockets, threads). Must not throw. */
    @Override
    default void close() {
    }
}
