package hv.procvm;

import hv.api.platform.GuestClock;
import hv.cpu.ExitReason;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.cpu.SharedRegions;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;
import hv.procvm.kernel.Vcpu;

/**
 * A guest thread's CPU: an hv.cpu {@link Hart} in process mode (ecall from U exits with ECALL,
 * every other trap from U with TRAP) over its own hv.memory {@link Mmu}, in U-mode with satp
 * pointing at the process's page tables.
 */
final class HartVcpu implements Vcpu {
    private final Hart hart;
    private final Mmu mmu;
    /** The hart's retired count when this use of it began (a pooled hart keeps counting). */
    private long retiredAtStart;

    HartVcpu(PhysicalMemory memory, GuestClock clock, int id, SharedRegions translations) {
        this.mmu = new Mmu(memory, id);
        this.hart = new Hart(id, mmu, clock, HartConfig.process());
        hart.shareTranslations(translations);
        hart.reset(0, Hart.PRIV_U);
    }

    @Override
    public long[] x() {
        return hart.x;
    }

    @Override
    public long[] f() {
        return hart.f;
    }

    @Override
    public long pc() {
        return hart.pc;
    }

    @Override
    public void setPc(long pc) {
        hart.pc = pc;
    }

    @Override
    public long fcsr() {
        return ((long) hart.frm << 5) | hart.fflags;
    }

    @Override
    public void setFcsr(long value) {
        hart.frm = (int) (value >>> 5) & 7;
        hart.fflags = (int) value & 0x1f;
    }

    @Override
    public ExitReason run(long budget) {
        return hart.run(budget);
    }

    @Override
    public long trapCause() {
        return hart.trapCause;
    }

    @Override
    public long trapValue() {
        return hart.trapTval;
    }

    @Override
    public void activate(long satp) {
        mmu.writeSatp(satp);
        flushLocal();
    }

    @Override
    public void flushLocal() {
        mmu.sfence(0, true, 0, true);
        hart.requestTlbFlush();
        hart.flushDecodeCache();
    }

    @Override
    public void requestFlush() {
        hart.requestTlbFlush();
    }

    @Override
    public void codeChanged() {
        hart.flushDecodeCache();
    }

    @Override
    public void close() {
        mmu.close();
    }

    @Override
    public long instret() {
        return hart.retired - retiredAtStart;
    }

    /**
     * Back to a fresh hart for another guest thread: registers and CSRs reset, every translation
     * and shadow table dropped (the frames of the old page tables may be reused for anything), the
     * decode cache kept but marked for revalidation, so decoded pages whose bytes are unchanged
     * (the same program's text in recycled frames) need no decoding and changed ones are reused
     * without allocating.
     */
    void resetForReuse() {
        mmu.reset(); // first: it leaves the MMU in M-mode context, which hart.reset sets back to U
        hart.reset(0, Hart.PRIV_U);
        hart.requestTlbFlush();
        hart.flushDecodeCache();
        retiredAtStart = hart.retired;
    }

    @Override
    public String statsLine() {
        return hart.statsLine() + " | " + mmu.stats();
    }
}
