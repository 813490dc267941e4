package hv.cpu;

/**
 * How a hart is used.
 *
 * @param hypervisorMode   HV is the SBI: an ecall from S-mode exits with {@link ExitReason#ECALL} instead
 *                         of trapping to M; the guest never runs in M-mode (a trap that would enter M
 *                         exits with {@link ExitReason#TRAP}). {@link Hart#reset} then delegates every
 *                         exception and supervisor interrupt to S, as OpenSBI would.
 * @param processMode      the process VM: an ecall from U exits with ECALL and every other trap from U
 *                         exits with TRAP (cause and tval kept in {@link Hart#trapCause}/{@link Hart#trapTval}).
 * @param sstc             Sstc is enabled at reset (menvcfg.STCE = 1 in hypervisor mode) so the guest may
 *                         program stimecmp directly; firmware (M-mode guests) sets STCE itself.
 * @param satpFlushesDecode a satp write also revalidates the decode cache, for guests that write code
 *                         and run it without FENCE.I (xv6 does: real hardware would need FENCE.I, QEMU
 *                         tolerates it). Costs a 4 KiB compare per page entered after each satp write.
 * @param decodeCachePages the most pages of decoded code this hart keeps (each ~20 KiB).
 * @param jitThreshold     entries into a block start after which the hart translates the region there to
 *                         JVM bytecode (1: at once, as tests force it); 0 turns the JIT off (pure interpreter).
 *                         Default: system property {@code hv.jit.threshold}, else {@link #DEFAULT_JIT_THRESHOLD}.
 */
public record HartConfig(boolean hypervisorMode, boolean processMode, boolean sstc, boolean satpFlushesDecode,
                         int decodeCachePages, int jitThreshold) {

    public static final int DEFAULT_DECODE_CACHE_PAGES = 4096;
    public static final int DEFAULT_JIT_THRESHOLD = 4096;

    public HartConfig {
        if (hypervisorMode && processMode) {
            throw new IllegalArgumentException("a hart is either in hypervisor mode or in process mode, not both");
        }
        if (decodeCachePages < 16) {
            throw new IllegalArgumentException("decodeCachePages must be at least 16: " + decodeCachePages);
        }
        if (jitThreshold < 0 || jitThreshold > 60_000) {
            throw new IllegalArgumentException("jitThreshold must be 0 (off) .. 60000: " + jitThreshold);
        }
    }

    public HartConfig(boolean hypervisorMode, boolean processMode, boolean sstc, boolean satpFlushesDecode,
                      int decodeCachePages) {
        this(hypervisorMode, processMode, sstc, satpFlushesDecode, decodeCachePages, defaultJitThreshold());
    }

    /** The JIT threshold from system property hv.jit.threshold (0 = interpreter only), else the default. */
    public static int defaultJitThreshold() {
        return Integer.getInteger("hv.jit.threshold", DEFAULT_JIT_THRESHOLD);
    }

    /** This configuration with another JIT threshold (0: interpreter only, 1: translate every block at once). */
    public HartConfig withJitThreshold(int threshold) {
        return new HartConfig(hypervisorMode, processMode, sstc, satpFlushesDecode, decodeCachePages, threshold);
    }

    public HartConfig(boolean hypervisorMode, boolean processMode) {
        this(hypervisorMode, processMode, true, !hypervisorMode && !processMode, DEFAULT_DECODE_CACHE_PAGES);
    }

    /** Firmware mode: guest code starts in M-mode (bare-metal tests, OpenSBI, xv6). */
    public static HartConfig firmware() {
        return new HartConfig(false, false);
    }

    /** Hypervisor mode: HV is the SBI, the kernel runs in S-mode. */
    public static HartConfig hypervisor() {
        return new HartConfig(true, false);
    }

    /** Process mode: one Linux program in U-mode, system calls exit to the process VM. */
    public static HartConfig process() {
        return new HartConfig(false, true);
    }
}
