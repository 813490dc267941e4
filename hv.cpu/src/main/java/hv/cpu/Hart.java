package hv.cpu;

import static hv.cpu.Op.*;

import hv.api.platform.GuestClock;
import hv.api.platform.HartLink;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.cpu.fp.FpFlags;
import hv.memory.GuestRam;
import hv.memory.MemoryFault;
import hv.memory.Mmu;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One RV64GC hart: architectural state in plain public fields (shared with snapshots and a future
 * bytecode translator) and an interpreter over decoded pages.
 *
 * <h2>Threading</h2>
 * Only the thread that calls {@link #run(long)} touches the architectural state. Other threads use
 * {@link #link()} (interrupt controllers, timers), {@link #kick()}, {@link #flushDecodeCache()} and
 * {@link #requestTlbFlush()}; these are lock-free and take effect at the hart's next block boundary.
 * {@link #awaitFlushes()} lets the requester wait until they have (SBI RFENCE is synchronous).
 *
 * <h2>Execution</h2>
 * Instructions are decoded once per physical page ({@link DecodeCache}) into packed longs and
 * dispatched by a dense switch. Sequential execution walks the page's entry array; a taken branch,
 * jump, trap, CSR access or the end of the page ends a block, and only there does the hart look
 * at its budget, at asynchronous requests (one volatile read), at the MMU's flush requests and at
 * timers (every {@link #TIMER_CHECK_INTERVAL} instructions). Synchronous exceptions (memory faults,
 * illegal instructions, ecall) are thrown as the MMU's single preallocated {@link MemoryFault} and
 * caught once around the block, so the common path has no trap checks at all.
 *
 * <h2>JIT</h2>
 * Hot code is translated to JVM bytecode ({@link Jit}): {@code loop} counts entries into block starts
 * and runs a translated region ({@link CompiledRegion}) when it reaches an entry marked
 * {@link Op#JIT_REGION}; regions leave registers, pc and the instruction count exactly as the
 * interpreter would, also on a trap. {@link HartConfig#jitThreshold()} 0 turns it off.
 */
public final class Hart {
    // --- privilege levels (privileged spec 1.2) ---
    public static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;

    // --- exception causes (privileged spec table 3.6) ---
    public static final int CAUSE_ILLEGAL_INSTRUCTION = 2, CAUSE_BREAKPOINT = 3, CAUSE_ECALL_U = 8, CAUSE_ECALL_S = 9,
            CAUSE_ECALL_M = 11;
    /** tval marker: "the bits of the instruction at pc", filled in when the trap is taken. */
    static final long TVAL_INSTRUCTION = Long.MIN_VALUE + 0x5a5a;

    /** Instructions between two looks at the clock for timer interrupts (~16 us at 250 MIPS). */
    static final int TIMER_CHECK_INTERVAL = 4096;
    private static final long PAGE_MASK = ~0xfffL;
    private static final long NO_DEADLINE = -1L; // unsigned maximum: never

    // --- asynchronous request bits (attention) ---
    // ATT_BOUNDARY (set by the hart itself): only makes the loop run boundary() before the next instruction.
    private static final int ATT_KICK = 1, ATT_IRQ = 2, ATT_DECODE_FLUSH = 4, ATT_FETCH_FLUSH = 8, ATT_BOUNDARY = 16;

    // ===================== architectural state (plain fields) =====================
    /** x0..x31, plus slot 32 that absorbs writes to x0 (x[0] is never written). */
    public final long[] x = new long[33];
    /** f0..f31 as raw bits; singles are NaN-boxed (upper 32 bits all ones). */
    public final long[] f = new long[32];
    public long pc;
    public int priv = PRIV_M;

    public long mstatus = Csr.MSTATUS_XL;
    public long medeleg, mideleg, mie, mtvec, stvec, mepc, sepc, mcause, scause, mtval, stval, mscratch, sscratch;
    /** The software-writable part of mip (SSIP, STIP when Sstc is off, the software SEIP bit). */
    public long mipSoft;
    public long mcounteren, scounteren, menvcfg, senvcfg, mcountinhibit;
    public long stimecmp = NO_DEADLINE;
    public final long[] pmpcfg = new long[16];
    public final long[] pmpaddr = new long[64];
    public int frm, fflags;
    /** Instructions retired by this hart (statistics; never written by the guest). */
    public long retired;
    /** minstret = retired + instretOffset; mcycle = retired + cycleOffset (one cycle per instruction). */
    public long instretOffset, cycleOffset;
    /** The last trap that exited to the VMM (process mode, or hypervisor mode trapping to M). */
    public long trapCause, trapTval;
    /** ebreak exits with {@link ExitReason#BREAKPOINT} instead of trapping (a debugger is attached). */
    public boolean debuggerAttached;
    /** Why the last INTERNAL_ERROR exit happened. */
    public String internalError;
    /** A debugger's breakpoints (virtual pcs) this hart stops before, or null (see {@link #watchBreakpoints}). */
    private Breakpoints breakpoints;
    /** True during {@link #step()}: run exactly one instruction, take no interrupt before it. */
    private boolean stepping;
    /** The watchpoint the last DEBUG exit stopped for, or null (see {@link #watchpointHit}). */
    private Breakpoints.Watch watchHit;

    // LR/SC reservation: RAM offset, size and the value LR loaded (see Atomics).
    long reservationOffset = -1;
    long reservationValue;
    int reservationSize;

    // ===================== machinery =====================
    final int hartId;
    final Mmu mmu;
    final GuestRam ram;
    final GuestClock clock;
    final HartConfig config;
    final MemoryFault fault;
    final FpFlags fpFlags = new FpFlags();
    private final DecodeCache decodeCache;
    private final long[] crossScratch = new long[3];
    private final Link link = new Link();
    private final long[] exitCounts = new long[ExitReason.values().length];
    /** The translator (null when the JIT is off), its exit counters by kind, and a faulting region's count. */
    final Jit jit;
    final long[] jitExits = new long[RegionEmitter.EXIT_KINDS];
    long jitFaultCount;
    /**
     * Set by {@link RegionRuntime#csrChecked} when a CSR write inside a region made an interrupt
     * pending and enabled or changed the data MMU's context: the region then exits after it (and
     * clears this), and Hart.loop looks at interrupts before the next instruction.
     */
    int jitCsrExit;

    // The MMU's active load/store TLB arrays and RAM, so the interpreter inlines a TLB hit
    // (refreshed whenever the MMU context or satp changes: see refreshTlb()).
    long[] ldTlb, stTlb; // package-private: RegionRuntime (translated code) does the same fast path
    final MemorySegment seg;
    private static final java.lang.foreign.ValueLayout.OfLong LE_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt LE_INT =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfShort LE_SHORT =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfByte BYTE = java.lang.foreign.ValueLayout.JAVA_BYTE;
    private static final int TLB_MASK = Mmu.TLB_INDEX_MASK;

    /**
     * Jump cache: virtual page -> decoded page for pages entered recently (direct-mapped), so a taken
     * branch or call into another page stays in fast() instead of going back through the MMU and the
     * decode cache. Valid exactly as long as the fetch page is (see dropFetchCache).
     */
    private static final int JUMP_CACHE_MASK = 255;
    private final long[] jumpTag = new long[JUMP_CACHE_MASK + 1];
    private final long[][] jumpCode = new long[JUMP_CACHE_MASK + 1][];
    private final DecodeCache.Page[] jumpPage = new DecodeCache.Page[JUMP_CACHE_MASK + 1];

    // fetch cache: the virtual page we are executing in and its decoded entries
    private long curVBase = -1;
    private long[] curCode;
    private DecodeCache.Page curPage;

    // asynchronous inputs
    /** Non-zero when another thread wants the hart at a block boundary (read by translated code too). */
    volatile int attention;
    /** MSIP/MEIP/SEIP levels from devices, and SSIP requests (moved into mipSoft by the hart). */
    @SuppressWarnings("unused")
    private volatile long mipExt;
    private volatile long mtimecmp = NO_DEADLINE;
    /** Supervisor timer deadline of the built-in SBI (used while Sstc is off). */
    private volatile long sbiTimer = NO_DEADLINE;
    private volatile Thread waiter;
    /** Flushes requested by other threads so far (see awaitFlushes), and how many of them this hart has done. */
    private volatile long flushesRequested;
    private volatile long flushesDone;
    /** True while run() executes on the hart's thread: only then can a requested flush still be outstanding. */
    private volatile boolean inGuest;
    /** MTIP/STIP as of the last timer check. */
    long mipTimer;
    /** Instructions executed in the current run() so far, as of the last helper call (for counters). */
    private long limit;
    private long nextTimerCheck;

    private static final VarHandle ATTENTION, MIP_EXT, FLUSHES_REQUESTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ATTENTION = l.findVarHandle(Hart.class, "attention", int.class);
            Fpu.load(); // see Fpu.load: keeps the compiled interpreter valid when FP code first runs
            touchMemoryAccessors();
            MIP_EXT = l.findVarHandle(Hart.class, "mipExt", long.class);
            FLUSHES_REQUESTED = l.findVarHandle(Hart.class, "flushesRequested", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Runs every RAM accessor the interpreter inlines once, on a scratch native segment: the JIT
     * compiles a memory accessor whose classes are not loaded yet as a deoptimisation trap, so
     * otherwise the first byte store (then the first halfword load, ...) of a guest would each throw
     * the compiled interpreter away and recompile it (seconds of CPU on a busy host).
     */
    private static void touchMemoryAccessors() {
        MemorySegment s = java.lang.foreign.Arena.ofAuto().allocate(16, 8);
        s.set(BYTE, 0, s.get(BYTE, 1));
        s.set(LE_SHORT, 2, s.get(LE_SHORT, 2));
        s.set(LE_INT, 4, s.get(LE_INT, 4));
        s.set(LE_LONG, 8, s.get(LE_LONG, 8));
    }

    public Hart(int hartId, Mmu mmu, GuestClock clock, HartConfig config) {
        this.hartId = hartId;
        this.mmu = mmu;
        this.ram = mmu.memory().ram();
        this.seg = ram.segment();
        this.clock = clock;
        this.config = config;
        this.fault = mmu.fault();
        // The process VM writes guest RAM directly (not through the CodeWriteLog): its harts compare.
        this.decodeCache = new DecodeCache(ram, config.decodeCachePages(), !config.processMode());
        this.jit = config.jitThreshold() > 0 ? new Jit(config.jitThreshold(), Jit.MAX_INSTRUCTIONS) : null;
        if (jit != null) {
            jit.knownPage = this::knownPage;
        }
        crossScratch[1] = entry(END, 0, 0, 0, 0, 0);
        crossScratch[2] = crossScratch[1];
        reset(GuestRam.DEFAULT_BASE, config.processMode() ? PRIV_U : config.hypervisorMode() ? PRIV_S : PRIV_M);
    }

    public int hartId() {
        return hartId;
    }

    public HartConfig config() {
        return config;
    }

    public Mmu mmu() {
        return mmu;
    }

    /** The interrupt/timer side of this hart, for PLIC and ACLINT (thread-safe). */
    public HartLink link() {
        return link;
    }

    // ===================== lifecycle =====================

    /**
     * Resets the hart (privileged spec 3.4) to start at {@code pc} in privilege {@code priv}. In
     * hypervisor mode the M-level CSRs are set up as the SBI firmware would leave them: every exception
     * but ecall-from-S/M and every supervisor interrupt delegated to S, all counters visible, Sstc on
     * if configured. In process mode FS starts Initial and the counters are visible to U.
     */
    public void reset(long pc, int priv) {
        java.util.Arrays.fill(x, 0);
        java.util.Arrays.fill(f, 0);
        java.util.Arrays.fill(pmpcfg, 0);
        java.util.Arrays.fill(pmpaddr, 0);
        this.pc = pc;
        this.priv = priv;
        mstatus = Csr.MSTATUS_XL;
        medeleg = mideleg = mie = mipSoft = mipTimer = 0;
        mtvec = stvec = mepc = sepc = mcause = scause = mtval = stval = mscratch = sscratch = 0;
        mcounteren = scounteren = menvcfg = senvcfg = mcountinhibit = 0;
        stimecmp = NO_DEADLINE;
        frm = fflags = 0;
        instretOffset = -retired;
        cycleOffset = -retired;
        trapCause = trapTval = 0;
        reservationOffset = -1;
        mtimecmp = NO_DEADLINE;
        sbiTimer = NO_DEADLINE;
        MIP_EXT.getAndBitwiseAnd(this, ~(1L << HartLink.SSIP));
        if (config.hypervisorMode()) {
            medeleg = Csr.MEDELEG_MASK & ~((1L << CAUSE_ECALL_S) | (1L << CAUSE_ECALL_M));
            mideleg = Csr.MIDELEG_MASK;
            mcounteren = 0xffff_ffffL;
            if (config.sstc()) {
                menvcfg |= Csr.MENVCFG_STCE;
            }
            mstatus |= Csr.MSTATUS_FS_INITIAL;
        }
        if (config.processMode()) {
            mcounteren = scounteren = 0xffff_ffffL;
            mstatus |= Csr.MSTATUS_FS_INITIAL;
        }
        mmu.writeSatp(0);
        updateMmuContext();
        dropFetchCache();
        decodeCache.invalidateAll();
        signal(ATT_IRQ);
    }

    // ===================== running =====================

    /**
     * Executes guest instructions until an exit or until about {@code budget} instructions have run
     * (checked at block boundaries, so it may run up to one page further). Never throws: a Java
     * exception here would be an HV bug and becomes {@link ExitReason#INTERNAL_ERROR} with
     * {@link #internalError} set.
     */
    public ExitReason run(long budget) {
        ExitReason r;
        // Set before the first boundary reads flushesRequested (see awaitFlushes: a requester that
        // still sees false knows that boundary will see its request).
        inGuest = true;
        try {
            r = loop(Math.max(1, budget));
        } catch (Throwable t) {
            internalError = "hart " + hartId + " at pc 0x" + Long.toHexString(pc) + ": " + t;
            System.getLogger("hv.cpu").log(System.Logger.Level.ERROR, internalError, t);
            r = ExitReason.INTERNAL_ERROR;
        } finally {
            inGuest = false;
        }
        exitCounts[r.ordinal()]++;
        return r;
    }

    // results of slow()
    private static final int NEXT = 0, AGAIN = 1, BLOCK_END = 2, CROSS_START = 3, IDLE = 4, SPIN_HINT = 5;

    /** Loop's idx while a translated region runs (its fault handler has set pc). */
    private static final int IN_REGION = -2;

    // results of fast()
    private static final int F_SLOW = 0, F_END = 1, F_BRANCH = 2;
    /** Marks "not a taken branch: leave fast()" (odd, so no branch target offset equals it). */
    private static final long SLOW = -1;
    private static final long END_ENTRY = Op.END;
    // outputs of fast(): where it stopped, how many instructions it retired, a branch's target
    private int fastIdx;
    private long fastCount;
    private long fastPc;

    /**
     * The hot interpreter: runs the common instructions (ALU, branches and jumps, loads and stores
     * that hit the MMU's TLB, done here directly on the RAM segment) within one decoded page, and
     * returns at the first instruction it does not handle (F_SLOW), at the end of the page (F_END) or
     * at a taken branch leaving the page, exceeding {@code allowed} instructions or with an
     * asynchronous request pending (F_BRANCH, target in fastPc). It contains no calls at all: that is
     * what lets HotSpot keep its state in registers (HotSpot has no callee-saved registers, so a call
     * anywhere in a loop spills everything live across it).
     */
    private int fast(long[] code, int idx, long vbase, final long allowed) {
        final long[] x = this.x;
        final long[] f = this.f;
        final MemorySegment seg = this.seg;
        long n = 0;
        for (;;) {
            final long e = code[idx];
            final int rd = (int) (e >>> 8) & 63;
            final int rs1 = (int) (e >>> 14) & 31;
            final int rs2 = (int) (e >>> 19) & 31;
            final long imm = e >> 32;
            n++;
            // Sequential instructions advance idx by a constant (2, or 1 for an RVC twin op) so the
            // next entry's load does not wait for this one. Taken control transfers leave the switch
            // with `off`, the target's byte offset from vbase; everything else with SLOW.
            final long off;
            switch ((int) e & 0xff) {
                    case NOP -> {
                        idx += 2;
                        continue;
                    }
                    case C_NOP -> {
                        idx += 1;
                        continue;
                    }
                    case LUI, LI -> {
                        x[rd] = imm;
                        idx += 2;
                        continue;
                    }
                    case C_LUI, C_LI -> {
                        x[rd] = imm;
                        idx += 1;
                        continue;
                    }
                    case AUIPC -> {
                        x[rd] = vbase + ((long) idx << 1) + imm;
                        idx += 2;
                        continue;
                    }
                    case MV -> {
                        x[rd] = x[rs1];
                        idx += 2;
                        continue;
                    }
                    case C_MV -> {
                        x[rd] = x[rs1];
                        idx += 1;
                        continue;
                    }
                    case ADDI -> {
                        x[rd] = x[rs1] + imm;
                        idx += 2;
                        continue;
                    }
                    case C_ADDI -> {
                        x[rd] = x[rs1] + imm;
                        idx += 1;
                        continue;
                    }
                    case SLTI -> {
                        x[rd] = x[rs1] < imm ? 1 : 0;
                        idx += 2;
                        continue;
                    }
                    case SLTIU -> {
                        x[rd] = x[rs1] + Long.MIN_VALUE < imm + Long.MIN_VALUE ? 1 : 0;
                        idx += 2;
                        continue;
                    }
                    case XORI -> {
                        x[rd] = x[rs1] ^ imm;
                        idx += 2;
                        continue;
                    }
                    case ORI -> {
                        x[rd] = x[rs1] | imm;
                        idx += 2;
                        continue;
                    }
                    case ANDI -> {
                        x[rd] = x[rs1] & imm;
                        idx += 2;
                        continue;
                    }
                    case C_ANDI -> {
                        x[rd] = x[rs1] & imm;
                        idx += 1;
                        continue;
                    }
                    case SLLI -> {
                        x[rd] = x[rs1] << imm;
                        idx += 2;
                        continue;
                    }
                    case C_SLLI -> {
                        x[rd] = x[rs1] << imm;
                        idx += 1;
                        continue;
                    }
                    case SRLI -> {
                        x[rd] = x[rs1] >>> imm;
                        idx += 2;
                        continue;
                    }
                    case C_SRLI -> {
                        x[rd] = x[rs1] >>> imm;
                        idx += 1;
                        continue;
                    }
                    case SRAI -> {
                        x[rd] = x[rs1] >> imm;
                        idx += 2;
                        continue;
                    }
                    case C_SRAI -> {
                        x[rd] = x[rs1] >> imm;
                        idx += 1;
                        continue;
                    }
                    case ADD -> {
                        x[rd] = x[rs1] + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case C_ADD -> {
                        x[rd] = x[rs1] + x[rs2];
                        idx += 1;
                        continue;
                    }
                    case SUB -> {
                        x[rd] = x[rs1] - x[rs2];
                        idx += 2;
                        continue;
                    }
                    case C_SUB -> {
                        x[rd] = x[rs1] - x[rs2];
                        idx += 1;
                        continue;
                    }
                    case SLL -> {
                        x[rd] = x[rs1] << x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SLT -> {
                        x[rd] = x[rs1] < x[rs2] ? 1 : 0;
                        idx += 2;
                        continue;
                    }
                    case SLTU -> {
                        x[rd] = x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE ? 1 : 0;
                        idx += 2;
                        continue;
                    }
                    case XOR -> {
                        x[rd] = x[rs1] ^ x[rs2];
                        idx += 2;
                        continue;
                    }
                    case C_XOR -> {
                        x[rd] = x[rs1] ^ x[rs2];
                        idx += 1;
                        continue;
                    }
                    case SRL -> {
                        x[rd] = x[rs1] >>> x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SRA -> {
                        x[rd] = x[rs1] >> x[rs2];
                        idx += 2;
                        continue;
                    }
                    case OR -> {
                        x[rd] = x[rs1] | x[rs2];
                        idx += 2;
                        continue;
                    }
                    case C_OR -> {
                        x[rd] = x[rs1] | x[rs2];
                        idx += 1;
                        continue;
                    }
                    case AND -> {
                        x[rd] = x[rs1] & x[rs2];
                        idx += 2;
                        continue;
                    }
                    case C_AND -> {
                        x[rd] = x[rs1] & x[rs2];
                        idx += 1;
                        continue;
                    }
                    case ADDIW -> {
                        x[rd] = (int) (x[rs1] + imm);
                        idx += 2;
                        continue;
                    }
                    case C_ADDIW -> {
                        x[rd] = (int) (x[rs1] + imm);
                        idx += 1;
                        continue;
                    }
                    case SLLIW -> {
                        x[rd] = (int) x[rs1] << imm;
                        idx += 2;
                        continue;
                    }
                    case SRLIW -> {
                        x[rd] = (int) x[rs1] >>> imm;
                        idx += 2;
                        continue;
                    }
                    case SRAIW -> {
                        x[rd] = (int) x[rs1] >> imm;
                        idx += 2;
                        continue;
                    }
                    case ADDW -> {
                        x[rd] = (int) (x[rs1] + x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case C_ADDW -> {
                        x[rd] = (int) (x[rs1] + x[rs2]);
                        idx += 1;
                        continue;
                    }
                    case SUBW -> {
                        x[rd] = (int) (x[rs1] - x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case C_SUBW -> {
                        x[rd] = (int) (x[rs1] - x[rs2]);
                        idx += 1;
                        continue;
                    }
                    case SLLW -> {
                        x[rd] = (int) x[rs1] << (int) x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SRLW -> {
                        x[rd] = (int) x[rs1] >>> (int) x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SRAW -> {
                        x[rd] = (int) x[rs1] >> (int) x[rs2];
                        idx += 2;
                        continue;
                    }
                    case MUL -> {
                        x[rd] = x[rs1] * x[rs2];
                        idx += 2;
                        continue;
                    }
                    case MULW -> {
                        x[rd] = (int) x[rs1] * (int) x[rs2];
                        idx += 2;
                        continue;
                    }
                    case MULH -> {
                        x[rd] = Math.multiplyHigh(x[rs1], x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case MULHU -> {
                        x[rd] = Math.unsignedMultiplyHigh(x[rs1], x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case MULHSU -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
                        idx += 2;
                        continue;
                    }
                    case DIV -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = b == 0 ? -1 : a / b;
                        idx += 2;
                        continue;
                    }
                    case DIVU -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = b == 0 ? -1 : Long.divideUnsigned(a, b);
                        idx += 2;
                        continue;
                    }
                    case REM -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = b == 0 ? a : a % b;
                        idx += 2;
                        continue;
                    }
                    case REMU -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = b == 0 ? a : Long.remainderUnsigned(a, b);
                        idx += 2;
                        continue;
                    }
                    case DIVW -> {
                        int a = (int) x[rs1], b = (int) x[rs2];
                        x[rd] = b == 0 ? -1 : a / b;
                        idx += 2;
                        continue;
                    }
                    case DIVUW -> {
                        int a = (int) x[rs1], b = (int) x[rs2];
                        x[rd] = b == 0 ? -1 : Integer.divideUnsigned(a, b);
                        idx += 2;
                        continue;
                    }
                    case REMW -> {
                        int a = (int) x[rs1], b = (int) x[rs2];
                        x[rd] = b == 0 ? a : a % b;
                        idx += 2;
                        continue;
                    }
                    case REMUW -> {
                        int a = (int) x[rs1], b = (int) x[rs2];
                        x[rd] = b == 0 ? a : Integer.remainderUnsigned(a, b);
                        idx += 2;
                        continue;
                    }
                    case ADD_UW -> {
                        x[rd] = (x[rs1] & 0xffff_ffffL) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH1ADD -> {
                        x[rd] = (x[rs1] << 1) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH2ADD -> {
                        x[rd] = (x[rs1] << 2) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH3ADD -> {
                        x[rd] = (x[rs1] << 3) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH1ADD_UW -> {
                        x[rd] = ((x[rs1] & 0xffff_ffffL) << 1) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH2ADD_UW -> {
                        x[rd] = ((x[rs1] & 0xffff_ffffL) << 2) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SH3ADD_UW -> {
                        x[rd] = ((x[rs1] & 0xffff_ffffL) << 3) + x[rs2];
                        idx += 2;
                        continue;
                    }
                    case SLLI_UW -> {
                        x[rd] = (x[rs1] & 0xffff_ffffL) << imm;
                        idx += 2;
                        continue;
                    }
                    case ANDN -> {
                        x[rd] = x[rs1] & ~x[rs2];
                        idx += 2;
                        continue;
                    }
                    case ORN -> {
                        x[rd] = x[rs1] | ~x[rs2];
                        idx += 2;
                        continue;
                    }
                    case XNOR -> {
                        x[rd] = ~(x[rs1] ^ x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case CLZ -> {
                        x[rd] = Long.numberOfLeadingZeros(x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case CLZW -> {
                        x[rd] = Integer.numberOfLeadingZeros((int) x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case CTZ -> {
                        x[rd] = Long.numberOfTrailingZeros(x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case CTZW -> {
                        x[rd] = Integer.numberOfTrailingZeros((int) x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case CPOP -> {
                        x[rd] = Long.bitCount(x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case CPOPW -> {
                        x[rd] = Integer.bitCount((int) x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case MAX -> {
                        x[rd] = Math.max(x[rs1], x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case MIN -> {
                        x[rd] = Math.min(x[rs1], x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case MAXU -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = a + Long.MIN_VALUE >= b + Long.MIN_VALUE ? a : b;
                        idx += 2;
                        continue;
                    }
                    case MINU -> {
                        long a = x[rs1], b = x[rs2];
                        x[rd] = a + Long.MIN_VALUE <= b + Long.MIN_VALUE ? a : b;
                        idx += 2;
                        continue;
                    }
                    case SEXT_B -> {
                        x[rd] = (byte) x[rs1];
                        idx += 2;
                        continue;
                    }
                    case SEXT_H -> {
                        x[rd] = (short) x[rs1];
                        idx += 2;
                        continue;
                    }
                    case ZEXT_H -> {
                        x[rd] = x[rs1] & 0xffff;
                        idx += 2;
                        continue;
                    }
                    case ROL -> {
                        x[rd] = Long.rotateLeft(x[rs1], (int) x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case ROLW -> {
                        x[rd] = Integer.rotateLeft((int) x[rs1], (int) x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case ROR -> {
                        x[rd] = Long.rotateRight(x[rs1], (int) x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case RORI -> {
                        x[rd] = Long.rotateRight(x[rs1], (int) imm);
                        idx += 2;
                        continue;
                    }
                    case RORIW -> {
                        x[rd] = Integer.rotateRight((int) x[rs1], (int) imm);
                        idx += 2;
                        continue;
                    }
                    case RORW -> {
                        x[rd] = Integer.rotateRight((int) x[rs1], (int) x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case REV8 -> {
                        x[rd] = Long.reverseBytes(x[rs1]);
                        idx += 2;
                        continue;
                    }
                    case BCLR -> {
                        x[rd] = x[rs1] & ~(1L << x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case BCLRI -> {
                        x[rd] = x[rs1] & ~(1L << imm);
                        idx += 2;
                        continue;
                    }
                    case BEXT -> {
                        x[rd] = (x[rs1] >>> x[rs2]) & 1;
                        idx += 2;
                        continue;
                    }
                    case BEXTI -> {
                        x[rd] = (x[rs1] >>> imm) & 1;
                        idx += 2;
                        continue;
                    }
                    case BINV -> {
                        x[rd] = x[rs1] ^ (1L << x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case BINVI -> {
                        x[rd] = x[rs1] ^ (1L << imm);
                        idx += 2;
                        continue;
                    }
                    case BSET -> {
                        x[rd] = x[rs1] | (1L << x[rs2]);
                        idx += 2;
                        continue;
                    }
                    case BSETI -> {
                        x[rd] = x[rs1] | (1L << imm);
                        idx += 2;
                        continue;
                    }
                    case JAL -> {
                        long cur = (long) idx << 1;
                        x[rd] = vbase + cur + (((e >>> 28) & 2) + 2);
                        off = cur + imm;
                    }
                    case J -> off = ((long) idx << 1) + imm;
                    case JALR -> {
                        long target = (x[rs1] + imm) & ~1L;
                        x[rd] = vbase + ((long) idx << 1) + (((e >>> 28) & 2) + 2);
                        off = target - vbase;
                    }
                    case BEQ -> {
                        if (x[rs1] != x[rs2]) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case C_BEQ -> {
                        if (x[rs1] != x[rs2]) {
                            idx += 1;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case BNE -> {
                        if (x[rs1] == x[rs2]) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case C_BNE -> {
                        if (x[rs1] == x[rs2]) {
                            idx += 1;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case BLT -> {
                        if (x[rs1] >= x[rs2]) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case BGE -> {
                        if (x[rs1] < x[rs2]) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case BLTU -> {
                        if (x[rs1] + Long.MIN_VALUE >= x[rs2] + Long.MIN_VALUE) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case BGEU -> {
                        if (x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE) {
                            idx += 2;
                            continue;
                        }
                        off = ((long) idx << 1) + imm;
                    }
                    case LB -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xfffL)) {
                            x[rd] = seg.get(BYTE, t[ti + 1] + va);
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case LBU -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xfffL)) {
                            x[rd] = seg.get(BYTE, t[ti + 1] + va) & 0xffL;
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case LH -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffeL)) {
                            x[rd] = seg.get(LE_SHORT, t[ti + 1] + va);
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case LHU -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffeL)) {
                            x[rd] = seg.get(LE_SHORT, t[ti + 1] + va) & 0xffffL;
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case LW, C_LW -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffcL)) {
                            x[rd] = seg.get(LE_INT, t[ti + 1] + va);
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case LWU -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffcL)) {
                            x[rd] = seg.get(LE_INT, t[ti + 1] + va) & 0xffff_ffffL;
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case LD, C_LD -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xff8L)) {
                            x[rd] = seg.get(LE_LONG, t[ti + 1] + va);
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case SB -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xfffL)) {
                            seg.set(BYTE, t[ti + 1] + va, (byte) x[rs2]);
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case SH -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffeL)) {
                            seg.set(LE_SHORT, t[ti + 1] + va, (short) x[rs2]);
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case SW, C_SW -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xffcL)) {
                            seg.set(LE_INT, t[ti + 1] + va, (int) x[rs2]);
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case SD, C_SD -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if (t[ti] == (va & ~0xff8L)) {
                            seg.set(LE_LONG, t[ti + 1] + va, x[rs2]);
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case FLW -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if ((mstatus & Csr.MSTATUS_FS) != 0 && t[ti] == (va & ~0xffcL)) {
                            f[rd] = seg.get(LE_INT, t[ti + 1] + va) | 0xffff_ffff_0000_0000L;
                            mstatus |= Csr.MSTATUS_FS_DIRTY;
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case FLD, C_FLD -> {
                        long va = x[rs1] + imm;
                        long[] t = ldTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if ((mstatus & Csr.MSTATUS_FS) != 0 && t[ti] == (va & ~0xff8L)) {
                            f[rd] = seg.get(LE_LONG, t[ti + 1] + va);
                            mstatus |= Csr.MSTATUS_FS_DIRTY;
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case FSW -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if ((mstatus & Csr.MSTATUS_FS) != 0 && t[ti] == (va & ~0xffcL)) {
                            seg.set(LE_INT, t[ti + 1] + va, (int) f[rs2]);
                            idx += 2;
                            continue;
                        }
                        off = SLOW;
                    }
                    case FSD, C_FSD -> {
                        long va = x[rs1] + imm;
                        long[] t = stTlb;
                        int ti = ((int) (va >>> 12) & TLB_MASK) << 1;
                        if ((mstatus & Csr.MSTATUS_FS) != 0 && t[ti] == (va & ~0xff8L)) {
                            seg.set(LE_LONG, t[ti + 1] + va, f[rs2]);
                            idx += 1 + ((int) (e >>> 29) & 1);
                            continue;
                        }
                        off = SLOW;
                    }
                    case FADD_S, FSUB_S, FMUL_S, FDIV_S, FSQRT_S, FSGNJ_S, FSGNJN_S, FSGNJX_S, FMIN_S, FMAX_S, FCVT_W_S, FCVT_WU_S, FCVT_L_S, FCVT_LU_S, FMV_X_W, FCLASS_S, FEQ_S, FLT_S, FLE_S, FCVT_S_W, FCVT_S_WU, FCVT_S_L, FCVT_S_LU, FMV_W_X, FMADD_S, FMSUB_S, FNMSUB_S, FNMADD_S, FADD_D, FSUB_D, FMUL_D, FDIV_D, FSQRT_D, FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D, FCVT_W_D, FCVT_WU_D, FCVT_L_D, FCVT_LU_D, FMV_X_D, FCLASS_D, FEQ_D, FLT_D, FLE_D, FCVT_D_W, FCVT_D_WU, FCVT_D_L, FCVT_D_LU, FMV_D_X, FMADD_D, FMSUB_D, FNMSUB_D, FNMADD_D, FCVT_S_D, FCVT_D_S -> {
                    // FP arithmetic: one call (the only one in this method). Checked here so it cannot
                    // throw: FS Off or an invalid dynamic rounding mode go to the slow path, which traps.
                    if ((mstatus & Csr.MSTATUS_FS) != 0 && ((int) imm != 7 || frm <= 4)) {
                        Fpu.execute(this, e);
                        idx += 2;
                        continue;
                    }
                    off = SLOW;
                }
                default -> off = SLOW; // END, and everything the slow path does

            }
            if (off == SLOW) {
                // not retired here: END, or an instruction for the slow path
                fastIdx = idx;
                fastCount = n - 1;
                return e == END_ENTRY ? F_END : F_SLOW;
            }
            if (n < allowed && attention == 0) {
                if ((off >>> 12) == 0) {
                    idx = (int) off >>> 1;
                    continue;
                }
                long target = vbase + off;
                long tpage = target & PAGE_MASK;
                int j = (int) (target >>> 12) & JUMP_CACHE_MASK;
                if (jumpTag[j] == tpage) { // another page entered before: continue there
                    code = jumpCode[j];
                    vbase = tpage;
                    idx = ((int) target & 0xfff) >>> 1;
                    curVBase = tpage;
                    curCode = code;
                    curPage = jumpPage[j];
                    continue;
                }
            }
            fastIdx = idx;
            fastCount = n;
            fastPc = vbase + off;
            return F_BRANCH;
        }
    }

    /**
     * The run loop: block boundaries (budget, timers, interrupts, requests from other threads), page
     * changes, {@link #fast} for the common instructions and {@link #slow} for the rest, and traps.
     */
    private ExitReason loop(long budget) {
        long n = 0;
        long limit = 0; // 0: start with the slow boundary (pending interrupts, timers)
        long pc = this.pc;
        nextTimerCheck = 0;
        // Debug mode (a debugger's breakpoints are set, or single-step): every instruction goes through
        // this loop on its own, from the scratch array, so a breakpoint is checked before each one and
        // neither fast() nor a translated region runs past it (decoded pages and regions are untouched).
        final Breakpoints bps = breakpoints;
        final boolean debug = stepping || (bps != null && !bps.isEmpty());
        int attempts = 0; // debug mode: instructions started in this call (one that traps counts)
        final boolean watching = debug && bps != null && bps.hasWatchpoints();
        watchHit = null; // set before an instruction that accesses a watched range: stop after it
        outer:
        for (;;) {
            if (debug && (watchHit != null || (stepping ? attempts > 0 : bps.contains(pc)))) {
                this.pc = pc;
                exitPoll();
                retired += n;
                return ExitReason.DEBUG;
            }
            // Reaching the instruction limit (budget, or the next timer check every 4096 instructions)
            // samples the code that ran: the pc is where the hart was heading, usually into a hot loop
            // that otherwise never leaves fast(). Such an entry weighs more for the JIT.
            final int heat = n >= limit ? Jit.SAMPLE_WEIGHT : 1;
            if (n >= limit || attention != 0) {
                this.pc = pc;
                ExitReason r = boundary(n, budget);
                if (r != null) {
                    exitPoll();
                    retired += n;
                    return r;
                }
                limit = this.limit;
                if (debug && this.pc != pc) { // an interrupt was taken: check the handler's pc first
                    pc = this.pc;
                    continue outer;
                }
                pc = this.pc;
            }
            long vbase = pc & PAGE_MASK;
            long[] code = null;
            int idx = -1;
            try {
                if (debug) {
                    attempts++; // before the fetch: a fetch fault is the step too
                }
                if (vbase == curVBase) {
                    code = curCode;
                } else {
                    int j = (int) (vbase >>> 12) & JUMP_CACHE_MASK;
                    if (jumpTag[j] == vbase) { // entered recently: no MMU walk, no decode-cache lookup
                        curVBase = vbase;
                        curCode = code = jumpCode[j];
                        curPage = jumpPage[j];
                    } else {
                        code = enterPage(pc);
                    }
                }
                idx = ((int) pc & 0xfff) >>> 1;
                if (debug) {
                    crossScratch[0] = debugEntry(code, idx);
                    if (watching) {
                        watchHit = watchedAccess(crossScratch[0]);
                    }
                    code = crossScratch;
                    vbase = pc;
                    idx = 0;
                } else if (jit != null) {
                    if (((int) code[idx] & 0xff) != JIT_REGION) {
                        jit.entered(curPage, idx, heat, vbase); // a block start: profile it (may translate it)
                    }
                    if (((int) code[idx] & 0xff) == JIT_REGION) { // translated: run it without fast()
                        CompiledRegion region = curPage.regions[idx];
                        jit.entries++;
                        idx = IN_REGION;
                        n = runRegions(region, vbase, n, limit);
                        pc = this.pc;
                        continue outer;
                    }
                }
                for (;;) {
                    int fr = fast(code, idx, vbase, code == crossScratch ? 1 : limit - n);
                    idx = fastIdx;
                    n += fastCount;
                    if (code != crossScratch) { // fast() may have moved on to another page (jump cache)
                        code = curCode;
                        vbase = curVBase;
                    }
                    if (fr == F_BRANCH) {
                        pc = fastPc;
                        continue outer;
                    }
                    if (fr == F_END) {
                        pc = vbase + ((long) idx << 1);
                        continue outer;
                    }
                    final long e = code[idx];
                    if (((int) e & 0xff) == JIT_REGION) {
                        CompiledRegion region = curPage.regions[idx];
                        jit.entries++;
                        idx = IN_REGION;
                        n = runRegions(region, vbase, n, limit);
                        pc = this.pc;
                        continue outer;
                    }
                    this.pc = vbase + ((long) idx << 1);
                    switch (slow(e, n)) {
                        case NEXT -> {
                            idx += 1 + ((int) (e >>> 29) & 1);
                            n++;
                            if (jit != null && idx < DecodeCache.ENTRIES && code != crossScratch
                                    && !RegionScanner.translatable(e)) {
                                jit.entered(curPage, idx, 1, vbase); // after an instruction that ends regions: a region start
                            }
                        }
                        case AGAIN -> {
                            // the entry was decoded: dispatch it
                        }
                        case BLOCK_END -> {
                            pc = this.pc;
                            n++;
                            limit = 0; // look at interrupts: the instruction may have enabled one
                            continue outer;
                        }
                        case CROSS_START -> {
                            // run the page-straddling instruction from a scratch array of its own
                            vbase = this.pc;
                            idx = 0;
                            code = crossScratch;
                        }
                        case SPIN_HINT -> { // PAUSE: the VMM decides how to wait (see ExitReason.PAUSE)
                            n++;
                            exitPoll();
                            retired += n;
                            return ExitReason.PAUSE;
                        }
                        default -> { // IDLE: WFI with nothing pending
                            n++;
                            exitPoll();
                            retired += n;
                            return ExitReason.WFI;
                        }
                    }
                }
            } catch (MemoryFault mf) {
                watchHit = null; // the access did not happen
                if (idx == IN_REGION) { // the region has set pc and its count (precise trap)
                    n = jitFaultCount;
                    jitExits[RegionEmitter.EXIT_FAULT]++;
                } else {
                    this.pc = idx < 0 ? pc : vbase + ((long) idx << 1);
                }
                ExitReason r = trap(mf.cause(), mf.tval());
                if (r != null) {
                    exitPoll();
                    retired += n;
                    return r;
                }
                pc = this.pc;
                limit = 0;
                // A trap retires nothing, but must use up budget: a guest whose trap vector itself
                // faults would otherwise spin here forever without ever returning.
                budget--;
            }
        }
    }

    /**
     * Runs a translated region and then, chained, the regions it exits to, for as long as nothing
     * needs the loop: the next pc starts a region (JIT_REGION marker) of the current page or of a
     * page in the jump cache, and neither the instruction limit (budget, next timer check) nor an
     * asynchronous request (attention) is due. These are exactly the checks the top of
     * {@link #loop} makes before it would run the same region, so chaining changes no count and no
     * boundary; it skips the loop's profiling, debug and page-lookup paths between regions. A page
     * not in the jump cache (never entered, or dropped by FENCE.I, a satp write or an SFENCE.VMA,
     * which all run outside regions and clear the cache) ends the chain: the loop enters it through
     * the MMU and revalidates its decoded code. Returns the new count with this.pc set; a region's
     * MemoryFault propagates (the region has made the trap precise).
     */
    private long runRegions(CompiledRegion region, long vbase, long n, long limit) {
        for (;;) {
            n = region.run(this, vbase, n, limit);
            if (n >= limit || attention != 0) {
                return n;
            }
            long pc = this.pc;
            long nextBase = pc & PAGE_MASK;
            long[] code;
            DecodeCache.Page page;
            if (nextBase == curVBase) {
                code = curCode;
                page = curPage;
            } else {
                int j = (int) (nextBase >>> 12) & JUMP_CACHE_MASK;
                if (jumpTag[j] != nextBase) {
                    return n;
                }
                curVBase = nextBase;
                curCode = code = jumpCode[j];
                curPage = page = jumpPage[j];
            }
            int idx = ((int) pc & 0xfff) >>> 1;
            if (((int) code[idx] & 0xff) != JIT_REGION) {
                return n;
            }
            region = page.regions[idx];
            vbase = nextBase;
            jit.entries++;
            jit.chained++;
        }
    }

    /**
     * Executes the instruction at this.pc that the fast paths did not: returns what the loop must do next.
     * Throws the MMU's MemoryFault for any synchronous exception.
     */
    private int slow(long e, long n) {
        final long[] x = this.x;
        final long[] f = this.f;
        final int rd = (int) (e >>> 8) & 63;
        final long a = x[(int) (e >>> 14) & 31];
        final long imm = e >> 32;
        switch ((int) e & 0xff) {
            case UNDECODED -> {
                int idx = ((int) pc & 0xfff) >>> 1;
                curCode[idx] = curPage.decode(idx);
                return AGAIN;
            }
            case ILLEGAL -> throw fault.set(CAUSE_ILLEGAL_INSTRUCTION, imm & 0xffff_ffffL);
            case CROSS -> {
                crossScratch[0] = Decoder.decode32(fetchCross(pc, curPage));
                return CROSS_START;
            }
            case LB -> x[rd] = (byte) mmu.load8(a + imm);
            case LBU -> x[rd] = mmu.load8(a + imm);
            case LH -> x[rd] = (short) mmu.load16(a + imm);
            case LHU -> x[rd] = mmu.load16(a + imm);
            case LW, C_LW -> x[rd] = (int) mmu.load32(a + imm);
            case LWU -> x[rd] = mmu.load32(a + imm);
            case LD, C_LD -> x[rd] = mmu.load64(a + imm);
            case SB -> mmu.store8(a + imm, x[rs2(e)]);
            case SH -> mmu.store16(a + imm, x[rs2(e)]);
            case SW, C_SW -> mmu.store32(a + imm, x[rs2(e)]);
            case SD, C_SD -> mmu.store64(a + imm, x[rs2(e)]);
            case FLW -> {
                requireFpu();
                f[rd] = mmu.load32(a + imm) | 0xffff_ffff_0000_0000L;
                mstatus |= Csr.MSTATUS_FS_DIRTY;
            }
            case FLD, C_FLD -> {
                requireFpu();
                f[rd] = mmu.load64(a + imm);
                mstatus |= Csr.MSTATUS_FS_DIRTY;
            }
            case FSW -> {
                requireFpu();
                mmu.store32(a + imm, f[rs2(e)]);
            }
            case FSD, C_FSD -> {
                requireFpu();
                mmu.store64(a + imm, f[rs2(e)]);
            }
            case MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU, DIVW, DIVUW, REMW, REMUW -> x[rd] = IntMath.execute(op(e), a, x[rs2(e)]);
            case FENCE_I -> {
                decodeCache.invalidateAll();
                dropFetchCache();
                pc += 4;
                return BLOCK_END;
            }
            case ECALL -> throw fault.set(CAUSE_ECALL_U + priv, 0);
            case EBREAK -> throw fault.set(CAUSE_BREAKPOINT, pc);
            case MRET, SRET, SFENCE_VMA, CSR -> {
                system(e, n);
                return BLOCK_END;
            }
            case WFI -> {
                return wfi() ? IDLE : BLOCK_END;
            }
            case PAUSE -> {
                pc += 4;
                return SPIN_HINT;
            }
            default -> {
                // Zb*, atomics and FP arithmetic (no RVC forms)
                if (((int) e & 0xff) >= FIRST_FP) {
                    Fpu.execute(this, e);
                } else {
                    Ext.execute(this, e);
                }
            }
        }
        return NEXT;
    }

    /** The slow part of a block boundary: requests from other threads, timers, interrupts, budget. */
    private ExitReason boundary(long n, long budget) {
        // Read first: every flush counted here has set its MMU flag / attention bit before counting,
        // so it is done below and may be acknowledged after (awaitFlushes).
        long flushes = flushesRequested;
        // The MMU's cross-hart requests (remote flushes, shadow-coherence messages) are taken here:
        // at least every TIMER_CHECK_INTERVAL instructions, and at once when requestTlbFlush() signals.
        mmu.pollFlush();
        int att = attention == 0 ? 0 : (int) ATTENTION.getAndSet(this, 0);
        if (att != 0) {
            if ((att & (ATT_DECODE_FLUSH | ATT_FETCH_FLUSH)) != 0) {
                if ((att & ATT_DECODE_FLUSH) != 0) {
                    decodeCache.invalidateAll();
                }
                dropFetchCache();
            }
            if ((att & ATT_IRQ) != 0) {
                absorbSoftwareInterrupts();
                nextTimerCheck = n; // re-read timers now: a compare register may have changed
            }
        }
        if (flushesDone != flushes) {
            flushesDone = flushes;
        }
        if (n >= nextTimerCheck) {
            updateTimers();
            nextTimerCheck = n + TIMER_CHECK_INTERVAL;
        }
        long cause = stepping ? -1 : pendingInterrupt(); // a single step takes no interrupt (as QEMU's gdbstub)
        if (cause >= 0) {
            ExitReason r = trap(cause | Long.MIN_VALUE, 0);
            if (r != null) {
                return r;
            }
        }
        if ((att & ATT_KICK) != 0 || n >= budget) {
            return ExitReason.BUDGET;
        }
        limit = Math.min(budget, nextTimerCheck);
        return null;
    }

    /**
     * The decoded entry of the instruction at {@code idx} of the current page, for debug mode: decoded
     * now if it was not yet, and the original instruction where a translated region starts.
     */
    private long debugEntry(long[] code, int idx) {
        long e = code[idx];
        int op = (int) e & 0xff;
        if (op == UNDECODED) {
            e = code[idx] = curPage.decode(idx);
        } else if (op == JIT_REGION) {
            e = curPage.regions[idx].entry;
        }
        return e;
    }

    /**
     * The watchpoint the load, store or atomic {@code e} is about to access, or null (debug mode:
     * the hart stops after the instruction). The address is computed from the registers now, before
     * the instruction changes them.
     */
    private Breakpoints.Watch watchedAccess(long e) {
        int op = (int) e & 0xff;
        int size, kind = Breakpoints.READ;
        switch (op) {
            case LB, LBU -> size = 1;
            case LH, LHU -> size = 2;
            case LW, LWU, C_LW, FLW, LR_W -> size = 4;
            case LD, C_LD, FLD, C_FLD, LR_D -> size = 8;
            case SB -> {
                size = 1;
                kind = Breakpoints.WRITE;
            }
            case SH -> {
                size = 2;
                kind = Breakpoints.WRITE;
            }
            case SW, C_SW, FSW, SC_W -> {
                size = 4;
                kind = Breakpoints.WRITE;
            }
            case SD, C_SD, FSD, C_FSD, SC_D -> {
                size = 8;
                kind = Breakpoints.WRITE;
            }
            case AMO_W -> {
                size = 4;
                kind = Breakpoints.ACCESS;
            }
            case AMO_D -> {
                size = 8;
                kind = Breakpoints.ACCESS;
            }
            default -> {
                return null;
            }
        }
        long imm = op >= LR_W && op <= AMO_D ? 0 : e >> 32; // atomics address x[rs1] itself
        return breakpoints.watchHit(x[(int) (e >>> 14) & 31] + imm, size, kind);
    }

    /** Before any exit: the MMU's own reports must reach other harts before the VMM acts (e.g. an SBI fence). */
    private void exitPoll() {
        mmu.pollFlush();
    }

    private long[] enterPage(long pc) {
        long off = mmu.fetchOffset(pc);
        DecodeCache.Page p = decodeCache.lookup(off - (pc & 0xfff));
        long vpage = pc & PAGE_MASK;
        curVBase = vpage;
        curPage = p;
        curCode = p.code;
        int j = (int) (vpage >>> 12) & JUMP_CACHE_MASK;
        jumpTag[j] = vpage;
        jumpCode[j] = p.code;
        jumpPage[j] = p;
        return p.code;
    }

    /**
     * Forgets the current fetch page and every jump-cache entry: called whenever the mapping from
     * virtual pages to decoded pages may have changed (privilege, satp, sfence.vma, FENCE.I, a
     * flush requested by another thread, reset/restore).
     */
    private void dropFetchCache() {
        curVBase = -1;
        java.util.Arrays.fill(jumpTag, -1L);
    }

    /** The decoded page of virtual page {@code vpage} if the hart has it at hand (current or jump cache), else null. */
    private DecodeCache.Page knownPage(long vpage) {
        if (vpage == curVBase) {
            return curPage;
        }
        int j = (int) (vpage >>> 12) & JUMP_CACHE_MASK;
        return jumpTag[j] == vpage ? jumpPage[j] : null;
    }

    /**
     * The crossing check of a region that goes on into the neighbouring virtual page {@code vpage}
     * (see {@link RegionEmitter}): whether fetching from that page now would execute a decoded page
     * with exactly the bytes the region was translated from. The page is found as the interpreter
     * would find it: the jump cache (cleared by FENCE.I, satp writes, SFENCE.VMA and privilege
     * changes), else the MMU's fetch translation (permissions checked for the current privilege)
     * and the decode cache (which revalidates the page against RAM after a FENCE.I). A page that
     * cannot be fetched is no error here: the region exits before it and the interpreter fetches
     * the instruction and takes the fault at the right pc. Runs on the hart's thread, from a region.
     */
    boolean crossInto(long vpage, byte[] bytes) {
        int j = (int) (vpage >>> 12) & JUMP_CACHE_MASK;
        DecodeCache.Page p;
        if (jumpTag[j] == vpage) {
            p = jumpPage[j];
        } else {
            long off;
            try {
                off = mmu.fetchOffset(vpage);
            } catch (MemoryFault f) {
                return false;
            }
            p = decodeCache.lookup(off);
            jumpTag[j] = vpage;
            jumpCode[j] = p.code;
            jumpPage[j] = p;
        }
        if (p.matchedBytes == bytes || p.matchedBytes2 == bytes) {
            return true;
        }
        if (p.mismatchedBytes == bytes) {
            return false;
        }
        if (!java.util.Arrays.equals(p.snapshot, bytes)) {
            p.mismatchedBytes = bytes;
            return false;
        }
        p.matchedBytes2 = p.matchedBytes;
        p.matchedBytes = bytes;
        return true;
    }

    /** The raw bits of a 32-bit instruction whose second parcel lies in the next page. */
    private int fetchCross(long pc, DecodeCache.Page page) {
        int lo = page != null ? page.parcel(DecodeCache.ENTRIES - 1) : decodeCache.parcelAt(mmu.fetchOffset(pc));
        int hi = decodeCache.parcelAt(mmu.fetchOffset(pc + 2));
        return lo | hi << 16;
    }

    /** The bits of the instruction at {@code pc} (for xtval of an illegal instruction); 0 if unreadable. */
    long instructionBitsAt(long pc) {
        try {
            int lo = decodeCache.parcelAt(mmu.fetchOffset(pc));
            if ((lo & 3) != 3) {
                return lo;
            }
            return (lo | (long) decodeCache.parcelAt(mmu.fetchOffset(pc + 2)) << 16) & 0xffff_ffffL;
        } catch (MemoryFault e) {
            return 0;
        }
    }

    /** Throws the illegal-instruction exception for the instruction being executed. */
    MemoryFault illegal() {
        return fault.set(CAUSE_ILLEGAL_INSTRUCTION, TVAL_INSTRUCTION);
    }

    void requireFpu() {
        if ((mstatus & Csr.MSTATUS_FS) == 0) {
            throw illegal();
        }
    }

    // ===================== system instructions =====================

    private void system(long e, long n) {
        switch (op(e)) {
            case MRET -> {
                if (priv != PRIV_M) {
                    throw illegal();
                }
                long s = mstatus;
                int mpp = (int) (s >>> Csr.MSTATUS_MPP_SHIFT) & 3;
                s = (s & ~Csr.MSTATUS_MIE) | ((s >>> 4) & Csr.MSTATUS_MIE); // MIE = MPIE
                s |= Csr.MSTATUS_MPIE;
                s &= ~Csr.MSTATUS_MPP; // MPP = U (least-privileged supported mode)
                if (mpp != PRIV_M) {
                    s &= ~Csr.MSTATUS_MPRV;
                }
                mstatus = s;
                priv = mpp;
                pc = mepc;
                privilegeChanged();
            }
            case SRET -> {
                if (priv == PRIV_U || (priv == PRIV_S && (mstatus & Csr.MSTATUS_TSR) != 0)) {
                    throw illegal();
                }
                long s = mstatus;
                int spp = (int) (s >>> Csr.MSTATUS_SPP_SHIFT) & 1;
                s = (s & ~Csr.MSTATUS_SIE) | ((s >>> 4) & Csr.MSTATUS_SIE); // SIE = SPIE
                s |= Csr.MSTATUS_SPIE;
                s &= ~(Csr.MSTATUS_SPP | Csr.MSTATUS_MPRV); // SPP = U; SPP is never M, so MPRV = 0
                mstatus = s;
                priv = spp;
                pc = sepc;
                privilegeChanged();
            }
            case SFENCE_VMA -> {
                if (priv == PRIV_U || (priv == PRIV_S && (mstatus & Csr.MSTATUS_TVM) != 0)) {
                    throw illegal();
                }
                int rs1 = rs1(e), rs2 = rs2(e);
                mmu.sfence(x[rs1], rs1 == 0, (int) x[rs2], rs2 == 0);
                dropFetchCache();
                pc += 4;
            }
            default -> { // CSR
                Csr.execute(this, e, n);
                pc += halfwords(e) << 1;
            }
        }
    }

    /** WFI (privileged spec 3.3.3). Returns true if the hart should idle (nothing pending). */
    private boolean wfi() {
        if (priv == PRIV_U || (priv == PRIV_S && (mstatus & Csr.MSTATUS_TW) != 0)) {
            throw illegal();
        }
        pc += 4;
        absorbSoftwareInterrupts();
        updateTimers();
        return (mip() & mie) == 0;
    }

    /** The VMM has handled an ECALL exit: continue after the ecall instruction. */
    public void advancePastEcall() {
        pc += 4;
        retired++;
    }

    // ===================== traps and interrupts =====================

    /**
     * Takes a trap with this.pc = the faulting instruction (or the interrupted one). Returns an exit
     * reason when the VMM handles it instead of the guest, else null with pc/priv set to the handler.
     */
    ExitReason trap(long cause, long tval) {
        boolean interrupt = cause < 0;
        int code = (int) cause & 63;
        if (!interrupt) {
            if (tval == TVAL_INSTRUCTION) {
                tval = instructionBitsAt(pc);
            }
            if (config.processMode() && priv == PRIV_U) {
                trapCause = cause;
                trapTval = tval;
                return code == CAUSE_ECALL_U ? ExitReason.ECALL : ExitReason.TRAP;
            }
            if (code == CAUSE_ECALL_S && config.hypervisorMode()) {
                return ExitReason.ECALL;
            }
            if (code == CAUSE_BREAKPOINT && debuggerAttached) {
                return ExitReason.BREAKPOINT;
            }
        }
        reservationOffset = -1;
        long deleg = interrupt ? mideleg : medeleg;
        if (priv <= PRIV_S && ((deleg >>> code) & 1) != 0) {
            scause = cause;
            sepc = pc;
            stval = tval;
            long s = mstatus;
            s = (s & ~Csr.MSTATUS_SPIE) | ((s & Csr.MSTATUS_SIE) << 4);
            s &= ~(Csr.MSTATUS_SIE | Csr.MSTATUS_SPP);
            s |= (long) priv << Csr.MSTATUS_SPP_SHIFT;
            mstatus = s;
            priv = PRIV_S;
            pc = (stvec & ~3L) + ((stvec & 3) == 1 && interrupt ? 4L * code : 0);
        } else {
            if (config.hypervisorMode()) {
                trapCause = cause;
                trapTval = tval;
                return ExitReason.TRAP;
            }
            mcause = cause;
            mepc = pc;
            mtval = tval;
            long s = mstatus;
            s = (s & ~Csr.MSTATUS_MPIE) | ((s & Csr.MSTATUS_MIE) << 4);
            s &= ~(Csr.MSTATUS_MIE | Csr.MSTATUS_MPP);
            s |= (long) priv << Csr.MSTATUS_MPP_SHIFT;
            mstatus = s;
            priv = PRIV_M;
            pc = (mtvec & ~3L) + ((mtvec & 3) == 1 && interrupt ? 4L * code : 0);
        }
        privilegeChanged();
        return null;
    }

    private void privilegeChanged() {
        updateMmuContext();
        dropFetchCache();
    }

    /** The translation of the fetch page may have changed (satp write, sfence). */
    void fetchTranslationChanged(boolean alsoDecode) {
        dropFetchCache();
        if (alsoDecode) {
            decodeCache.invalidateAll();
        }
    }

    /** Keeps the MMU's view of privilege, MPRV, SUM and MXR in sync (privileged spec 3.1.6.3). */
    void updateMmuContext() {
        long s = mstatus;
        int dataPriv = priv == PRIV_M && (s & Csr.MSTATUS_MPRV) != 0 ? (int) (s >>> Csr.MSTATUS_MPP_SHIFT) & 3 : priv;
        mmu.setContext(priv, dataPriv, (s & Csr.MSTATUS_SUM) != 0, (s & Csr.MSTATUS_MXR) != 0);
        refreshTlb();
    }

    /** Re-reads the MMU's active TLB arrays (after setContext or writeSatp). */
    void refreshTlb() {
        ldTlb = mmu.loadTlb();
        stTlb = mmu.storeTlb();
    }

    /** The effective mip (privileged spec 3.1.9): software bits, device levels and timer comparators. */
    long mip() {
        long ext = mipExt & ((1L << HartLink.MSIP) | (1L << HartLink.MEIP) | (1L << HartLink.SEIP));
        long soft = mipSoft;
        if ((menvcfg & Csr.MENVCFG_STCE) != 0) {
            soft &= ~(1L << HartLink.STIP); // with Sstc, STIP reflects stimecmp only
        }
        return soft | ext | mipTimer;
    }

    /** SSIP requests from other threads (SBI IPIs) become the software-writable SSIP bit. */
    private void absorbSoftwareInterrupts() {
        if ((mipExt & (1L << HartLink.SSIP)) != 0) {
            long old = (long) MIP_EXT.getAndBitwiseAnd(this, ~(1L << HartLink.SSIP));
            if ((old & (1L << HartLink.SSIP)) != 0) {
                mipSoft |= 1L << HartLink.SSIP;
            }
        }
    }

    /** Recomputes MTIP and STIP from the clock (only when a comparator is armed). */
    void updateTimers() {
        long mcmp = mtimecmp;
        long scmp = (menvcfg & Csr.MENVCFG_STCE) != 0 ? stimecmp : sbiTimer;
        if (mcmp == NO_DEADLINE && scmp == NO_DEADLINE) {
            mipTimer = 0;
            return;
        }
        long now = clock.mtime();
        long bits = 0;
        if (Long.compareUnsigned(now, mcmp) >= 0) {
            bits |= 1L << HartLink.MTIP;
        }
        if (Long.compareUnsigned(now, scmp) >= 0) {
            bits |= 1L << HartLink.STIP;
        }
        mipTimer = bits;
    }

    /**
     * The interrupt to take now, or -1 (privileged spec 3.1.6.1 and 3.1.9): M-level interrupts are
     * enabled below M or with MIE, S-level ones below S or in S with SIE; priority MEI, MSI, MTI, SEI,
     * SSI, STI.
     */
    long pendingInterrupt() {
        long pending = mip() & mie;
        if (pending == 0) {
            return -1;
        }
        long m = pending & ~mideleg;
        if (m != 0 && (priv < PRIV_M || (mstatus & Csr.MSTATUS_MIE) != 0)) {
            return highestPriority(m);
        }
        long s = pending & mideleg;
        if (s != 0 && (priv < PRIV_S || (priv == PRIV_S && (mstatus & Csr.MSTATUS_SIE) != 0))) {
            return highestPriority(s);
        }
        return -1;
    }

    private static final int[] PRIORITY = {HartLink.MEIP, HartLink.MSIP, HartLink.MTIP, HartLink.SEIP, HartLink.SSIP,
            HartLink.STIP};

    private static long highestPriority(long bits) {
        for (int b : PRIORITY) {
            if ((bits & (1L << b)) != 0) {
                return b;
            }
        }
        return Long.numberOfTrailingZeros(bits); // not reachable with the mask of mie
    }

    /**
     * On the hart's own thread: run the block boundary (interrupts, timers, budget) before the next
     * instruction, as the interpreter does after every CSR instruction (a translated region that
     * ends after a CSR write cannot lower Hart.loop's instruction limit itself).
     */
    void requestBoundary() {
        ATTENTION.getAndBitwiseOr(this, ATT_BOUNDARY);
    }

    // ===================== requests from other threads =====================

    private void signal(int bits) {
        ATTENTION.getAndBitwiseOr(this, bits);
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Makes this hart look up and publish translated regions in {@code regions}, shared with every
     * other hart given the same instance (the harts of one machine run the same kernel code, which
     * is then translated and compiled once). Call before {@link #run}; no effect with the JIT off.
     */
    public void shareTranslations(SharedRegions regions) {
        if (jit != null) {
            jit.sharedRegions = java.util.Objects.requireNonNull(regions);
        }
    }

    // ===================== debugger support =====================

    /**
     * Makes {@link #run} stop with {@link ExitReason#DEBUG} before executing an instruction whose
     * (virtual) pc is in {@code set}, pc left there, and after one that loads or stores in a watched
     * range of the set (see {@link #watchpointHit}); null: none. The set may change while the hart
     * is paused; a run() looks at it when it starts. While the set is empty the hart runs at full
     * speed (decode cache, JIT); while not, one instruction at a time through the interpreter, so
     * breakpoints never patch guest memory and always hold, translated code or not. Call on the
     * hart's thread or before it runs.
     */
    public void watchBreakpoints(Breakpoints set) {
        this.breakpoints = set;
    }

    /**
     * The watchpoint whose range the instruction before the last {@link ExitReason#DEBUG} stop
     * accessed (the hart stops after such an instruction), or null if that stop was a breakpoint or
     * a step that touched no watched range.
     */
    public Breakpoints.Watch watchpointHit() {
        return watchHit;
    }

    /**
     * Executes exactly one instruction, with the interpreter and without taking an interrupt first
     * (as QEMU's gdbstub steps by default), and returns {@link ExitReason#DEBUG} with pc at the next
     * instruction, or at the trap handler's first instruction if it trapped. An instruction that exits
     * to the VMM returns that exit instead (ECALL: pc still at the ecall, the VMM completes it; WFI,
     * PAUSE: pc past it). A breakpoint at the current pc does not stop the step (it steps over it).
     */
    public ExitReason step() {
        stepping = true;
        try {
            for (;;) {
                ExitReason r = run(Long.MAX_VALUE);
                if (r != ExitReason.BUDGET) { // BUDGET: a kick came before the instruction ran
                    return r;
                }
            }
        } finally {
            stepping = false;
        }
    }

    /**
     * Reads CSR {@code csr} as the guest would (for a debugger; no privilege check, no side effect).
     * Call only while the hart is not running.
     *
     * @throws IllegalArgumentException if the hart has no such CSR
     */
    public long debugReadCsr(int csr) {
        try {
            return Csr.read(this, csr & 0xfff, 0);
        } catch (MemoryFault e) {
            throw new IllegalArgumentException("no CSR 0x" + Integer.toHexString(csr));
        }
    }

    /**
     * Writes CSR {@code csr} as a guest write would (WARL rules apply), for a debugger; returns false
     * if the hart has no such CSR. Call only while the hart is not running.
     */
    public boolean debugWriteCsr(int csr, long value) {
        try {
            Csr.read(this, csr & 0xfff, 0); // does it exist?
            Csr.write(this, csr & 0xfff, value, 0);
        } catch (MemoryFault e) {
            return false;
        }
        updateMmuContext();
        dropFetchCache();
        return true;
    }

    /** Makes a running {@link #run} return soon with BUDGET, and wakes {@link #awaitInterrupt}. Thread-safe. */
    public void kick() {
        signal(ATT_KICK);
    }

    /**
     * Drops decoded instructions (they are revalidated against RAM before they run again). The VMM
     * calls this after writing guest code (image loading, DMA) and for an SBI remote fence.i.
     * Thread-safe; takes effect at the hart's next block boundary.
     */
    public void flushDecodeCache() {
        signal(ATT_DECODE_FLUSH);
        FLUSHES_REQUESTED.getAndAdd(this, 1L);
    }

    /**
     * A remote sfence.vma (SBI RFENCE): asks the MMU to drop its TLB and the hart to re-translate
     * its current fetch page. Thread-safe; takes effect at the hart's next block boundary.
     */
    public void requestTlbFlush() {
        mmu.requestFlush();
        signal(ATT_FETCH_FLUSH);
        FLUSHES_REQUESTED.getAndAdd(this, 1L);
    }

    /**
     * Waits until this hart has done every {@link #flushDecodeCache()} and {@link #requestTlbFlush()}
     * requested (by any thread) before the call: the SBI RFENCE extension's remote fences are
     * complete when the call returns, and Linux may free a page as soon as its TLB shootdown
     * returns. A hart that is not inside {@link #run} (asleep in WFI, stopped, handling an exit of
     * its own, e.g. an SBI call that fences us back) counts as done at once: run() starts with a
     * block boundary, which does the flushes before any guest instruction. A running hart reaches a
     * boundary within one block once signalled. Must not be called on this hart's own thread
     * from inside run(). Thread-safe, allocation-free.
     */
    public void awaitFlushes() {
        long wanted = flushesRequested;
        for (int spins = 0; inGuest && flushesDone - wanted < 0; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(this, 20_000); // the target's thread is probably not on a core: give ours away
            }
        }
    }

    /**
     * The built-in SBI's set_timer (SBI TIME extension): STIP is pending while mtime >= deadline. With
     * Sstc enabled this programs stimecmp, as OpenSBI does. Call on the hart's own thread (during an
     * ECALL exit).
     */
    public void setSupervisorTimer(long mtimeDeadline) {
        if ((menvcfg & Csr.MENVCFG_STCE) != 0) {
            stimecmp = mtimeDeadline;
        } else {
            sbiTimer = mtimeDeadline;
        }
        updateTimers();
    }

    /**
     * Parks the calling thread (the one that runs this hart, after a WFI exit) until an interrupt
     * enabled in mie is pending (privileged spec 3.3.3: WFI wakes even if interrupts are globally
     * disabled), a timer deadline passes, {@link #kick()} is called, or {@code maxNanos} elapse.
     */
    public void awaitInterrupt(long maxNanos) {
        long start = System.nanoTime();
        waiter = Thread.currentThread();
        try {
            for (;;) {
                if ((attention & ATT_KICK) != 0) {
                    return;
                }
                absorbSoftwareInterrupts();
                updateTimers();
                if ((mip() & mie) != 0) {
                    return;
                }
                long left = maxNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, Math.min(left, nanosToNextDeadline()));
            }
        } finally {
            waiter = null;
        }
    }

    private long nanosToNextDeadline() {
        long best = Long.MAX_VALUE;
        long mcmp = mtimecmp;
        if (mcmp != NO_DEADLINE && (mie & (1L << HartLink.MTIP)) != 0) {
            best = Math.min(best, clock.nanosUntil(mcmp));
        }
        long scmp = (menvcfg & Csr.MENVCFG_STCE) != 0 ? stimecmp : sbiTimer;
        if (scmp != NO_DEADLINE && (mie & (1L << HartLink.STIP)) != 0) {
            best = Math.min(best, clock.nanosUntil(scmp));
        }
        return Math.max(best, 1);
    }

    /** Reads the current time (the time CSR). */
    long time() {
        return clock.mtime();
    }

    private final class Link implements HartLink {
        @Override
        public int hartId() {
            return hartId;
        }

        @Override
        public void setInterruptPending(int bit, boolean level) {
            if (bit < 0 || bit > 63) {
                return;
            }
            long mask = 1L << bit;
            if (level) {
                MIP_EXT.getAndBitwiseOr(Hart.this, mask);
            } else {
                MIP_EXT.getAndBitwiseAnd(Hart.this, ~mask);
            }
            signal(ATT_IRQ);
        }

        @Override
        public void setMachineTimerCompare(long compare) {
            mtimecmp = compare;
            signal(ATT_IRQ);
        }
    }

    /** The current mtimecmp as set through the link (for snapshots and tests). */
    public long machineTimerCompare() {
        return mtimecmp;
    }

    // ===================== statistics =====================

    /** How many times run() returned each reason. */
    public Map<ExitReason, Long> exits() {
        Map<ExitReason, Long> m = new EnumMap<>(ExitReason.class);
        for (ExitReason r : ExitReason.values()) {
            m.put(r, exitCounts[r.ordinal()]);
        }
        return m;
    }

    public long exitCount(ExitReason r) {
        return exitCounts[r.ordinal()];
    }

    /** One line for {@code hv run --stats}. */
    public String statsLine() {
        return "hart " + hartId + ": instret=" + retired + " exits=" + exits() + " decoded-pages=" + decodeCache.pageCount()
                + " created=" + decodeCache.pagesCreated + " revalidated=" + decodeCache.pagesRevalidated
                + " cleared=" + decodeCache.pagesCleared + " unwritten=" + decodeCache.pagesVouched
                + " drops=" + decodeCache.capacityDrops
                + (jit == null ? " jit: off" : " " + jit.statsLine(jitExits));
    }

    // ===================== snapshots =====================

    /** Format version of {@link #saveState}. */
    public static final int STATE_VERSION = 1;

    /** Writes the architectural state (call while the hart is not running). */
    public void saveState(StateWriter w) {
        w.putInt(STATE_VERSION);
        w.putLongs(java.util.Arrays.copyOf(x, 32));
        w.putLongs(f.clone());
        w.putLong(pc);
        w.putInt(priv);
        w.putLongs(new long[] {mstatus, medeleg, mideleg, mie, mipSoft, mtvec, stvec, mepc, sepc, mcause, scause, mtval,
                stval, mscratch, sscratch, mcounteren, scounteren, menvcfg, senvcfg, mcountinhibit, stimecmp,
                mmu.satp(), frm, fflags, retired, instretOffset, cycleOffset, mtimecmp, sbiTimer, mipExt});
        w.putLongs(pmpcfg.clone());
        w.putLongs(pmpaddr.clone());
    }

    /** Restores what {@link #saveState} wrote; {@code version} is checked. */
    public void restoreState(StateReader r, int version) throws StateException {
        if (version != STATE_VERSION) {
            throw new StateException("hart state version " + version + " not supported (expected " + STATE_VERSION + ")");
        }
        int v = r.getInt();
        if (v != STATE_VERSION) {
            throw new StateException("hart state stream has version " + v + ", expected " + STATE_VERSION);
        }
        long[] xs = expect(r.getLongs(), 32, "x registers");
        long[] fs = expect(r.getLongs(), 32, "f registers");
        long newPc = r.getLong();
        int newPriv = r.getInt();
        if (newPriv != PRIV_U && newPriv != PRIV_S && newPriv != PRIV_M) {
            throw new StateException("hart state has invalid privilege " + newPriv);
        }
        long[] c = expect(r.getLongs(), 30, "CSRs");
        long[] cfg = expect(r.getLongs(), 16, "pmpcfg");
        long[] addr = expect(r.getLongs(), 64, "pmpaddr");
        System.arraycopy(xs, 0, x, 0, 32);
        x[0] = 0;
        System.arraycopy(fs, 0, f, 0, 32);
        pc = newPc;
        priv = newPriv;
        int i = 0;
        mstatus = c[i++];
        medeleg = c[i++];
        mideleg = c[i++];
        mie = c[i++];
        mipSoft = c[i++];
        mtvec = c[i++];
        stvec = c[i++];
        mepc = c[i++];
        sepc = c[i++];
        mcause = c[i++];
        scause = c[i++];
        mtval = c[i++];
        stval = c[i++];
        mscratch = c[i++];
        sscratch = c[i++];
        mcounteren = c[i++];
        scounteren = c[i++];
        menvcfg = c[i++];
        senvcfg = c[i++];
        mcountinhibit = c[i++];
        stimecmp = c[i++];
        long satp = c[i++];
        frm = (int) c[i++] & 7;
        fflags = (int) c[i++] & 31;
        retired = c[i++];
        instretOffset = c[i++];
        cycleOffset = c[i++];
        mtimecmp = c[i++];
        sbiTimer = c[i++];
        mipExt = c[i++];
        System.arraycopy(cfg, 0, pmpcfg, 0, 16);
        System.arraycopy(addr, 0, pmpaddr, 0, 64);
        if (!mmu.writeSatp(satp)) {
            throw new StateException("hart state has a satp mode this MMU does not support: 0x" + Long.toHexString(satp));
        }
        reservationOffset = -1;
        updateMmuContext();
        dropFetchCache();
        decodeCache.invalidateAll();
        signal(ATT_IRQ);
    }

    private static long[] expect(long[] a, int n, String what) throws StateException {
        if (a == null || a.length != n) {
            throw new StateException("hart state: expected " + n + " " + what + ", got " + (a == null ? "none" : a.length));
        }
        return a;
    }
}
