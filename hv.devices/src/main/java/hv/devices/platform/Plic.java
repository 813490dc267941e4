package hv.devices.platform;

import hv.api.device.InterruptLine;
import hv.api.device.MmioHandler;
import hv.api.platform.HartLink;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A SiFive-compatible platform-level interrupt controller, laid out as QEMU {@code virt}'s
 * (RISC-V PLIC specification v1.0.0, "Memory Map"):
 * <pre>
 *   0x000000 + 4*s          priority of source s (1..ndev; 0 = never interrupts)
 *   0x001000 + 4*w          pending bits, 32 sources per word (read-only)
 *   0x002000 + 0x80*c + 4*w enable bits of context c
 *   0x200000 + 0x1000*c     threshold of context c
 *   0x200004 + 0x1000*c     claim (read) / complete (write) of context c
 * </pre>
 * Two contexts per hart, M-mode first: context 2h drives the hart's MEIP, 2h+1 its SEIP.
 *
 * <p>Gateways are level-triggered, which makes a source's pending bit a pure function of its
 * wire and its claim: {@code pending = level && !claimed}. A claim hides the source until the
 * matching complete, after which a still-high line is pending again (spec section "Interrupt
 * Gateways"). Storing only {@code level} and {@code claimed} (atomic bit words) means no two
 * fields can disagree, so no lock is needed.
 *
 * <p>Outputs to harts are recomputed after every change by a single "drainer" at a time
 * (whoever finds the work counter at zero loops until no change is left behind); other threads
 * just bump the counter and return. So HartLink calls are never reordered into a stale final
 * state, and no thread ever waits for another.
 */
public final class Plic implements MmioHandler {

    public static final long PRIORITY_BASE = 0x0;
    public static final long PENDING_BASE = 0x1000;
    public static final long ENABLE_BASE = 0x2000;
    public static final long ENABLE_STRIDE = 0x80;
    public static final long CONTEXT_BASE = 0x200000;
    public static final long CONTEXT_STRIDE = 0x1000;
    /** QEMU virt implements 3 priority bits: priorities and thresholds 0..7. */
    public static final int PRIORITY_MASK = 7;

    private final HartLink[] harts;
    private final int ndev;
    private final int words;
    private final int contexts;
    private final AtomicIntegerArray priority;
    private final AtomicIntegerArray level;
    private final AtomicIntegerArray claimed;
    private final AtomicIntegerArray enable;
    private final AtomicIntegerArray threshold;
    private final InterruptLine[] lines;

    // Output publication (single drainer at a time; see class comment).
    private final AtomicInteger updateWork = new AtomicInteger();
    private final AtomicBoolean republishAll = new AtomicBoolean(true);
    private final boolean[] published;

    /**
     * @param harts one link per hart, in hart-id order
     * @param ndev  the highest source number (QEMU virt: {@link VirtLayout#PLIC_NDEV})
     */
    public Plic(List<? extends HartLink> harts, int ndev) {
        if (harts.isEmpty() || harts.size() * 2 > 15872) {
            throw new IllegalArgumentException("PLIC supports 1..7936 harts, got " + harts.size());
        }
        if (ndev < 1 || ndev > 1023) {
            throw new IllegalArgumentException("PLIC sources must be 1..1023, got " + ndev);
        }
        this.harts = harts.toArray(new HartLink[0]);
        this.ndev = ndev;
        this.words = (ndev + 1 + 31) / 32;
        this.contexts = this.harts.length * 2;
        this.priority = new AtomicIntegerArray(ndev + 1);
        this.level = new AtomicIntegerArray(words);
        this.claimed = new AtomicIntegerArray(words);
        this.enable = new AtomicIntegerArray(contexts * words);
        this.threshold = new AtomicIntegerArray(contexts);
        this.published = new boolean[contexts];
        this.lines = new InterruptLine[ndev + 1];
        for (int s = 1; s <= ndev; s++) {
            lines[s] = new SourceLine(s);
        }
        update();
    }

    public int ndev() {
        return ndev;
    }

    public int contextCount() {
        return contexts;
    }

    /** A wire to nowhere, for devices placed without an interrupt (source 0 does not exist). */
    private static final InterruptLine NO_LINE = level -> {
    };

    /**
     * The wire of source {@code source} (1..ndev), for a device's {@code DeviceContext}; source 0
     * (a device without an interrupt, e.g. the syscon) gets a line that goes nowhere.
     */
    public InterruptLine line(int source) {
        if (source == 0) {
            return NO_LINE;
        }
        if (source < 1 || source > ndev) {
            throw new IllegalArgumentException("PLIC source " + source + " out of range 1.." + ndev);
        }
        return lines[source];
    }

    /** Power-on: priorities, enables, thresholds and claims cleared; wires keep their level. */
    public void reset() {
        for (int s = 0; s <= ndev; s++) {
            priority.set(s, 0);
        }
        for (int i = 0; i < enable.length(); i++) {
            enable.set(i, 0);
        }
        for (int c = 0; c < contexts; c++) {
            threshold.set(c, 0);
        }
        for (int w = 0; w < words; w++) {
            claimed.set(w, 0);
        }
        republishAll.set(true);
        update();
    }

    private final class SourceLine implements InterruptLine {
        private final int word;
        private final int bit;

        SourceLine(int source) {
            this.word = source >>> 5;
            this.bit = 1 << (source & 31);
        }

        @Override
        public void set(boolean high) {
            int old;
            int updated;
            do {
                old = level.get(word);
                updated = high ? old | bit : old & ~bit;
                if (updated == old) {
                    return; // no edge, nothing to recompute
                }
            } while (!level.compareAndSet(word, old, updated));
            update();
        }
    }

    // ---- MMIO -------------------------------------------------------------------------------

    @Override
    public long read(long offset, int size) {
        if (offset < 0 || (offset & (size - 1)) != 0) {
            return 0;
        }
        switch (size) {
            case 4:
                return read32(offset) & 0xffff_ffffL;
            case 8:
                return (read32(offset) & 0xffff_ffffL) | ((long) read32(offset + 4) << 32);
            case 1:
            case 2:
                return (read32(offset & ~3L) >>> ((offset & 3) * 8)) & ((1L << (size * 8)) - 1);
            default:
                return 0;
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset < 0 || (offset & (size - 1)) != 0) {
            return;
        }
        if (size == 4) {
            write32(offset, (int) value);
        } else if (size == 8) {
            write32(offset, (int) value);
            write32(offset + 4, (int) (value >>> 32));
        }
        // Sub-word writes to 32-bit registers are not defined by the spec: ignored.
    }

    private int read32(long offset) {
        if (offset < PENDING_BASE) {
            int s = (int) (offset >>> 2);
            return s >= 1 && s <= ndev ? priority.get(s) : 0;
        }
        if (offset < ENABLE_BASE) {
            int w = (int) ((offset - PENDING_BASE) >>> 2);
            return w < words ? level.get(w) & ~claimed.get(w) : 0;
        }
        if (offset < CONTEXT_BASE) {
            long rel = offset - ENABLE_BASE;
            int c = (int) (rel / ENABLE_STRIDE);
            int w = (int) ((rel % ENABLE_STRIDE) >>> 2);
            return c < contexts && w < words ? enable.get(c * words + w) : 0;
        }
        long rel = offset - CONTEXT_BASE;
        int c = (int) (rel / CONTEXT_STRIDE);
        long reg = rel % CONTEXT_STRIDE;
        if (c >= contexts) {
            return 0;
        }
        if (reg == 0) {
            return threshold.get(c);
        }
        if (reg == 4) {
            return claim(c);
        }
        return 0;
    }

    private void write32(long offset, int value) {
        if (offset < PENDING_BASE) {
            int s = (int) (offset >>> 2);
            if (s >= 1 && s <= ndev) {
                priority.set(s, value & PRIORITY_MASK);
                update();
            }
            return;
        }
        if (offset < ENABLE_BASE) {
            return; // pending bits are read-only
        }
        if (offset < CONTEXT_BASE) {
            long rel = offset - ENABLE_BASE;
            int c = (int) (rel / ENABLE_STRIDE);
            int w = (int) ((rel % ENABLE_STRIDE) >>> 2);
            if (c < contexts && w < words) {
                enable.set(c * words + w, value & implementedMask(w));
                update();
            }
            return;
        }
        long rel = offset - CONTEXT_BASE;
        int c = (int) (rel / CONTEXT_STRIDE);
        long reg = rel % CONTEXT_STRIDE;
        if (c >= contexts) {
            return;
        }
        if (reg == 0) {
            threshold.set(c, value & PRIORITY_MASK);
            update();
        } else if (reg == 4) {
            complete(c, value);
        }
    }

    /** Bits of word {@code w} that name real sources (source 0 does not exist). */
    private int implementedMask(int w) {
        int mask = -1;
        if (w == 0) {
            mask &= ~1;
        }
        int lastBit = ndev - w * 32; // highest valid bit index in this word
        if (lastBit < 31) {
            mask &= (int) ((1L << (lastBit + 1)) - 1);
        }
        return mask;
    }

    // ---- claim / complete -------------------------------------------------------------------

    /**
     * Claims the highest-priority pending source enabled for {@code c} whose priority exceeds the
     * context's threshold (ties: the lowest source number), or returns 0.
     */
    public int claim(int c) {
        while (true) {
            int best = bestCandidate(c);
            if (best == 0) {
                return 0;
            }
            int w = best >>> 5;
            int bit = 1 << (best & 31);
            int old = claimed.get(w);
            if ((old & bit) == 0 && claimed.compareAndSet(w, old, old | bit)) {
                update();
                return best;
            }
            // Another context claimed it (or a neighbour bit changed): look again.
        }
    }

    /** Completes {@code source} for context {@code c}; ignored unless enabled there (spec). */
    public void complete(int c, int source) {
        if (source < 1 || source > ndev) {
            return;
        }
        int w = source >>> 5;
        int bit = 1 << (source & 31);
        if ((enable.get(c * words + w) & bit) == 0) {
            return;
        }
        int old;
        do {
            old = claimed.get(w);
            if ((old & bit) == 0) {
                return;
            }
        } while (!claimed.compareAndSet(w, old, old & ~bit));
        update();
    }

    private int bestCandidate(int c) {
        int best = 0;
        int bestPriority = threshold.get(c);
        int base = c * words;
        for (int w = 0; w < words; w++) {
            int bits = level.get(w) & ~claimed.get(w) & enable.get(base + w);
            while (bits != 0) {
                int b = Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int s = (w << 5) | b;
                int p = priority.get(s);
                if (p > bestPriority) {
                    best = s;
                    bestPriority = p;
                }
            }
        }
        return best;
    }

    // ---- outputs ----------------------------------------------------------------------------

    private void update() {
        if (updateWork.getAndIncrement() != 0) {
            return; // the current drainer will see our change on its next pass
        }
        int missed = 1;
        do {
            boolean all = republishAll.getAndSet(false);
            for (int c = 0; c < contexts; c++) {
                boolean eip = bestCandidate(c) != 0;
                if (all || eip != published[c]) {
                    published[c] = eip;
                    harts[c >>> 1].setInterruptPending((c & 1) == 0 ? HartLink.MEIP : HartLink.SEIP, eip);
                }
            }
            missed = updateWork.addAndGet(-missed);
        } while (missed != 0);
    }

    // ---- state ------------------------------------------------------------------------------

    public int stateVersion() {
        return 1;
    }

    public void saveState(StateWriter out) {
        out.putInt(ndev);
        out.putInt(contexts);
        out.putLongs(toLongs(priority));
        out.putLongs(toLongs(level));
        out.putLongs(toLongs(claimed));
        out.putLongs(toLongs(enable));
        out.putLongs(toLongs(threshold));
    }

    public void restoreState(StateReader in, int version) throws StateException {
        if (version != 1) {
            throw new StateException("plic: unknown state version " + version);
        }
        int n = in.getInt();
        int ctx = in.getInt();
        if (n != ndev || ctx != contexts) {
            throw new StateException("plic: snapshot has " + n + " sources/" + ctx + " contexts, this machine "
                    + ndev + "/" + contexts);
        }
        fromLongs(in.getLongs(), priority, "priority");
        fromLongs(in.getLongs(), level, "level");
        fromLongs(in.getLongs(), claimed, "claimed");
        fromLongs(in.getLongs(), enable, "enable");
        fromLongs(in.getLongs(), threshold, "threshold");
        republishAll.set(true);
        update();
    }

    private static long[] toLongs(AtomicIntegerArray a) {
        long[] r = new long[a.length()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i);
        }
        return r;
    }

    private static void fromLongs(long[] v, AtomicIntegerArray a, String what) throws StateException {
        if (v.length != a.length()) {
            throw new StateException("plic: " + what + " has " + v.length + " entries, expected " + a.length());
        }
        for (int i = 0; i < v.length; i++) {
            a.set(i, (int) v[i]);
        }
    }
}
