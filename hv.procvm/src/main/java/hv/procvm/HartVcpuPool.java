package hv.procvm;

import hv.api.platform.GuestClock;
import hv.cpu.SharedRegions;
import hv.memory.PhysicalMemory;
import hv.procvm.kernel.Vcpu;
import hv.procvm.kernel.VcpuFactory;
import java.util.ArrayDeque;

/**
 * Creates the harts of guest threads and keeps a few of the ended ones for the next threads. A
 * shell pipeline creates a process (fork, exec) per command: building a hart each time means
 * allocating its decode cache index, TLB and shadow-table arrays (megabytes, promoted by the GC when
 * the process lives a while) and decoding the same program text again. A recycled hart is reset
 * ({@link HartVcpu#resetForReuse}) and keeps its decoded pages for revalidation.
 */
final class HartVcpuPool implements VcpuFactory {
    /** Idle harts kept at most (each holds its decoded pages: typically a few MiB). */
    static final int MAX_IDLE = 4;

    private final PhysicalMemory memory;
    private final GuestClock clock;
    /** The threads and processes of one process VM run the same program text: translate it once. */
    private final SharedRegions translations = new SharedRegions();
    private final ArrayDeque<HartVcpu> idle = new ArrayDeque<>();
    private long created;
    private long reused;

    HartVcpuPool(PhysicalMemory memory, GuestClock clock) {
        this.memory = memory;
        this.clock = clock;
    }

    @Override
    public Vcpu create(int tid) {
        synchronized (this) {
            HartVcpu v = idle.pollFirst();
            if (v != null) {
                reused++;
                return v;
            }
            created++;
        }
        return new HartVcpu(memory, clock, tid, translations);
    }

    @Override
    public void release(Vcpu cpu) {
        if (cpu instanceof HartVcpu h) {
            synchronized (this) {
                if (idle.size() < MAX_IDLE) {
                    h.resetForReuse();
                    idle.addFirst(h);
                    return;
                }
            }
        }
        cpu.close();
    }

    synchronized String stats() {
        return "harts created=" + created + " reused=" + reused;
    }
}
