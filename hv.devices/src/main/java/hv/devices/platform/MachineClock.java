package hv.devices.platform;

import hv.api.platform.GuestClock;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.function.LongSupplier;

/**
 * The machine's mtime: ticks at a fixed frequency (10 MHz on {@code virt}) from the host's
 * monotonic clock, so guest time follows wall time. Pausing freezes it (a snapshot must not
 * see time jump), {@link #set} moves it (restore, or an M-mode write to the CLINT's mtime).
 *
 * <p>Reads are lock-free: one volatile load of an immutable anchor plus {@code nanoTime}. The
 * rare writers (pause, resume, set) publish a new anchor; they synchronize among themselves only.
 */
public final class MachineClock implements GuestClock {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** mtime was {@code ticks} at host time {@code nanos}; frozen at {@code ticks} while paused. */
    private record Anchor(long ticks, long nanos, boolean paused) {
    }

    private final long frequency;
    private final LongSupplier nanoTime;
    private volatile Anchor anchor;

    /** A 10 MHz clock starting at 0, running. */
    public MachineClock() {
        this(DEFAULT_FREQUENCY, System::nanoTime);
    }

    /** For tests: any frequency up to 1 GHz and any monotonic nanosecond source. */
    public MachineClock(long frequency, LongSupplier nanoTime) {
        if (frequency <= 0 || frequency > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("frequency must be in 1..1e9 Hz: " + frequency);
        }
        this.frequency = frequency;
        this.nanoTime = nanoTime;
        this.anchor = new Anchor(0, nanoTime.getAsLong(), false);
    }

    @Override
    public long mtime() {
        Anchor a = anchor;
        if (a.paused) {
            return a.ticks;
        }
        return a.ticks + ticksFor(nanoTime.getAsLong() - a.nanos);
    }

    @Override
    public long frequency() {
        return frequency;
    }

    /** Elapsed host nanoseconds to ticks without overflow for any realistic uptime. */
    private long ticksFor(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        return (nanos / NANOS_PER_SECOND) * frequency + (nanos % NANOS_PER_SECOND) * frequency / NANOS_PER_SECOND;
    }

    public synchronized void pause() {
        Anchor a = anchor;
        if (!a.paused) {
            anchor = new Anchor(mtime(), 0, true);
        }
    }

    public synchronized void resume() {
        Anchor a = anchor;
        if (a.paused) {
            anchor = new Anchor(a.ticks, nanoTime.getAsLong(), false);
        }
    }

    public boolean isPaused() {
        return anchor.paused;
    }

    /** Makes mtime read {@code mtime} now; keeps the paused/running state. */
    public synchronized void set(long mtime) {
        anchor = new Anchor(mtime, nanoTime.getAsLong(), anchor.paused);
    }

    public void saveState(StateWriter out) {
        out.putLong(mtime());
    }

    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException("machine clock: unknown state version " + version);
        }
        set(in.getLong());
    }
}
