package hv.devices.platform;

import hv.api.device.MmioHandler;
import hv.api.platform.HartLink;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The SiFive CLINT as QEMU {@code virt} lays it out, which is also the ACLINT's MSWI device at
 * offset 0 followed by its MTIMER device (RISC-V ACLINT spec v1.0, sections 2 and 3):
 * <pre>
 *   0x0000 + 4*h   msip[h]      bit 0 drives the hart's MSIP
 *   0x4000 + 8*h   mtimecmp[h]  MTIP pending while mtime >= mtimecmp
 *   0xbff8         mtime        the machine clock
 * </pre>
 * Accesses may be 1, 2, 4 or 8 bytes; 32-bit halves of the 64-bit registers work as RV32
 * software and Linux's {@code readl}-based code expect. Lock-free: registers live in atomic
 * arrays; a hart learns of changes through its {@link HartLink}.
 */
public final class Clint implements MmioHandler {

    public static final long MSIP_OFFSET = 0x0000;
    public static final long MTIMECMP_OFFSET = 0x4000;
    public static final long MTIME_OFFSET = 0xbff8;
    /** ACLINT limit: 4095 harts per MSWI/MTIMER device. */
    private static final int MAX_HARTS = 4095;

    private final HartLink[] harts;
    private final MachineClock clock;
    private final AtomicIntegerArray msip;
    private final AtomicLongArray mtimecmp;

    public Clint(List<? extends HartLink> harts, MachineClock clock) {
        if (harts.isEmpty() || harts.size() > MAX_HARTS) {
            throw new IllegalArgumentException("CLINT needs 1.." + MAX_HARTS + " harts, got " + harts.size());
        }
        this.harts = harts.toArray(new HartLink[0]);
        this.clock = clock;
        this.msip = new AtomicIntegerArray(this.harts.length);
        this.mtimecmp = new AtomicLongArray(this.harts.length);
        reset();
    }

    /** Power-on state: no software interrupts, every timer compare at its maximum (no MTIP). */
    public void reset() {
        for (int h = 0; h < harts.length; h++) {
            msip.set(h, 0);
            harts[h].setInterruptPending(HartLink.MSIP, false);
            mtimecmp.set(h, -1L);
            harts[h].setMachineTimerCompare(-1L);
        }
    }

    public MachineClock clock() {
        return clock;
    }

    @Override
    public long read(long offset, int size) {
        if (!validAccess(offset, size)) {
            return 0;
        }
        if (offset < MTIMECMP_OFFSET) {
            if (size == 8) {
                return (readMsip(offset) & 0xffff_ffffL) | ((long) readMsip(offset + 4) << 32);
            }
            return extract(readMsip(offset & ~3L) & 0xffff_ffffL, offset & 3, size);
        }
        long reg = offset & ~7L;
        long value;
        if (reg == MTIME_OFFSET) {
            value = clock.mtime();
        } else {
            int h = (int) ((reg - MTIMECMP_OFFSET) >>> 3);
            value = h < harts.length ? mtimecmp.get(h) : 0;
        }
        return extract(value, offset & 7, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!validAccess(offset, size)) {
            return;
        }
        if (offset < MTIMECMP_OFFSET) {
            if (size == 8) {
                writeMsip(offset, value & 1);
                writeMsip(offset + 4, (value >>> 32) & 1);
            } else if ((offset & 3) == 0) {
                writeMsip(offset, value & 1); // only bit 0 is implemented (ACLINT 2.1)
            }
            return;
        }
        long reg = offset & ~7L;
        int shift = (int) (offset & 7) * 8;
        if (reg == MTIME_OFFSET) {
            clock.set(merge(clock.mtime(), value, shift, size));
            // mtime moved: every hart must re-arm its deadline against the new time base.
            for (int h = 0; h < harts.length; h++) {
                harts[h].setMachineTimerCompare(mtimecmp.get(h));
            }
            return;
        }
        int h = (int) ((reg - MTIMECMP_OFFSET) >>> 3);
        if (h >= harts.length) {
            return;
        }
        long old;
        long updated;
        do {
            old = mtimecmp.get(h);
            updated = merge(old, value, shift, size);
        } while (!mtimecmp.compareAndSet(h, old, updated));
        announceCompare(h, updated);
    }

    /**
     * Tells the hart its compare value. Two racing writers could deliver their values out of
     * order; re-reading after the call and repeating until stable makes the last word the
     * current one.
     */
    private void announceCompare(int h, long value) {
        long v = value;
        while (true) {
            harts[h].setMachineTimerCompare(v);
            long now = mtimecmp.get(h);
            if (now == v) {
                return;
            }
            v = now;
        }
    }

    private int readMsip(long offset) {
        int h = (int) (offset >>> 2);
        return h < harts.length ? msip.get(h) : 0;
    }

    private void writeMsip(long offset, long bit) {
        int h = (int) (offset >>> 2);
        if (h >= harts.length) {
            return;
        }
        msip.set(h, (int) bit);
        // Same last-writer-wins convergence as announceCompare.
        int v = (int) bit;
        while (true) {
            harts[h].setInterruptPending(HartLink.MSIP, v != 0);
            int now = msip.get(h);
            if (now == v) {
                return;
            }
            v = now;
        }
    }

    private static boolean validAccess(long offset, int size) {
        return (size == 1 || size == 2 || size == 4 || size == 8)
                && offset >= 0 && offset + size <= 0x1_0000L && (offset & (size - 1)) == 0;
    }

    private static long extract(long value, long byteOffset, int size) {
        long v = value >>> (byteOffset * 8);
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    private static long merge(long old, long value, int shift, int size) {
        if (size == 8) {
            return value;
        }
        long mask = ((1L << (size * 8)) - 1) << shift;
        return (old & ~mask) | ((value << shift) & mask);
    }

    public int stateVersion() {
        return 1;
    }

    /** msip and mtimecmp of every hart; mtime belongs to the {@link MachineClock}. */
    public void saveState(StateWriter out) {
        out.putInt(harts.length);
        long[] cmp = new long[harts.length];
        long[] sw = new long[harts.length];
        for (int h = 0; h < harts.length; h++) {
            cmp[h] = mtimecmp.get(h);
            sw[h] = msip.get(h);
        }
        out.putLongs(cmp);
        out.putLongs(sw);
    }

    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException("clint: unknown state version " + version);
        }
        int n = in.getInt();
        long[] cmp = in.getLongs();
        long[] sw = in.getLongs();
        if (n != harts.length || cmp.length != n || sw.length != n) {
            throw new StateException("clint: snapshot has " + n + " harts, this machine " + harts.length);
        }
        for (int h = 0; h < n; h++) {
            mtimecmp.set(h, cmp[h]);
            msip.set(h, (int) (sw[h] & 1));
            harts[h].setInterruptPending(HartLink.MSIP, (sw[h] & 1) != 0);
            harts[h].setMachineTimerCompare(cmp[h]);
        }
    }
}
