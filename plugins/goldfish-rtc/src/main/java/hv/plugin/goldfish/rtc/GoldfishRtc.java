package hv.plugin.goldfish.rtc;

import hv.api.device.Device;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceTreeNode;
import hv.api.device.MmioHandler;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Goldfish RTC registers (32-bit):
 * <pre>
 *   0x00 TIME_LOW         read: low half of now, latches the high half; write: sets the low half
 *   0x04 TIME_HIGH        read: the latched high half; write: sets the high half
 *   0x08 ALARM_LOW        write: low half of the alarm time, and arms the alarm
 *   0x0c ALARM_HIGH       write: high half of the alarm time (write it first)
 *   0x10 IRQ_ENABLED      bit 0
 *   0x14 CLEAR_ALARM      write: disarms
 *   0x18 ALARM_STATUS     read: 1 while armed
 *   0x1c CLEAR_INTERRUPT  write: acknowledges
 * </pre>
 * The interrupt line is high while an alarm has fired, is not acknowledged, and interrupts are
 * enabled. A guest register access is a handful of field updates under this object's monitor;
 * the alarm fires on a timer thread.
 */
final class GoldfishRtc implements Device, MmioHandler {

    static final int TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0c,
            IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1c;

    private final DeviceContext context;
    private final LongSupplier hostNanos;
    private final ScheduledThreadPoolExecutor timer;

    // Guest-visible state (saved in snapshots).
    private long offset;        // guest time = host wall clock + offset
    private long alarmNext;
    private boolean alarmArmed;
    private boolean irqEnabled;
    private boolean irqPending;
    private int latchedHigh;

    private ScheduledFuture<?> alarmTask;
    private boolean paused;

    GoldfishRtc(DeviceContext context, LongSupplier hostNanos) {
        this.context = context;
        this.hostNanos = hostNanos;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform()
                .name(context.instanceName() + "-alarm").daemon(true).unstarted(r));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public MmioHandler mmio() {
        return this;
    }

    private long now() {
        return hostNanos.getAsLong() + offset;
    }

    @Override
    public synchronized long read(long off, int size) {
        if (size != 4) {
            return 0;
        }
        return switch ((int) off) {
            case TIME_LOW -> {
                long t = now();
                latchedHigh = (int) (t >>> 32);
                yield t & 0xffff_ffffL;
            }
            case TIME_HIGH -> latchedHigh & 0xffff_ffffL;
            case ALARM_LOW -> alarmNext & 0xffff_ffffL;
            case ALARM_HIGH -> alarmNext >>> 32;
            case IRQ_ENABLED -> irqEnabled ? 1 : 0;
            case ALARM_STATUS -> alarmArmed ? 1 : 0;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long off, int size, long value) {
        if (size != 4) {
            return;
        }
        long v = value & 0xffff_ffffL;
        switch ((int) off) {
            case TIME_LOW -> {
                long t = now();
                offset += ((t & 0xffff_ffff_0000_0000L) | v) - t;
            }
            case TIME_HIGH -> {
                long t = now();
                offset += ((t & 0xffff_ffffL) | (v << 32)) - t;
            }
            case ALARM_LOW -> {
                alarmNext = (alarmNext & 0xffff_ffff_0000_0000L) | v;
                arm();
            }
            case ALARM_HIGH -> alarmNext = (alarmNext & 0xffff_ffffL) | (v << 32);
            case IRQ_ENABLED -> {
                irqEnabled = (v & 1) != 0;
                updateLine();
            }
            case CLEAR_ALARM -> disarm();
            case CLEAR_INTERRUPT -> {
                irqPending = false;
                updateLine();
            }
            default -> {
            }
        }
    }

    private void arm() {
        disarm();
        alarmArmed = true;
        long delay = alarmNext - now();
        if (delay <= 0) {
            fire();
        } else if (!paused) {
            alarmTask = timer.schedule(this::fireFromTimer, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        alarmArmed = false;
        if (alarmTask != null) {
            alarmTask.cancel(false);
            alarmTask = null;
        }
    }

    private synchronized void fireFromTimer() {
        if (!alarmArmed || paused) {
            return;
        }
        long late = alarmNext - now();
        if (late > 0) { // the guest moved the clock back since arming: wait the rest
            alarmTask = timer.schedule(this::fireFromTimer, late, TimeUnit.NANOSECONDS);
            return;
        }
        fire();
    }

    private void fire() {
        alarmArmed = false;
        alarmTask = null;
        irqPending = true;
        updateLine();
    }

    private void updateLine() {
        context.interruptLine().set(irqPending && irqEnabled && !paused);
    }

    @Override
    public void describe(DeviceTreeNode soc) {
        soc.child("rtc@" + Long.toHexString(context.mmioBase()))
                .property("compatible", "google,goldfish-rtc")
                .reg(context.mmioBase(), context.mmioSize())
                .plicInterrupt(context.irq());
    }

    /** Power-on: alarm off, interrupt off; the time offset survives (the clock keeps time across a reboot). */
    @Override
    public synchronized void reset() {
        disarm();
        alarmNext = 0;
        irqEnabled = false;
        irqPending = false;
        latchedHigh = 0;
        updateLine();
    }

    @Override
    public synchronized void pause() {
        paused = true;
        if (alarmTask != null) {
            alarmTask.cancel(false);
            alarmTask = null;
        }
        updateLine();
    }

    @Override
    public synchronized void resume() {
        paused = false;
        if (alarmArmed) {
            arm();
        }
        updateLine();
    }

    @Override
    public synchronized void saveState(StateWriter out) {
        out.putLong(offset);
        out.putLong(alarmNext);
        out.putBoolean(alarmArmed);
        out.putBoolean(irqEnabled);
        out.putBoolean(irqPending);
        out.putInt(latchedHigh);
    }

    @Override
    public synchronized void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException(context.instanceName() + ": unknown goldfish-rtc state version " + version);
        }
        offset = in.getLong();
        alarmNext = in.getLong();
        boolean armed = in.getBoolean();
        irqEnabled = in.getBoolean();
        irqPending = in.getBoolean();
        latchedHigh = in.getInt();
        disarm();
        if (armed) {
            arm();
        }
        updateLine();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
