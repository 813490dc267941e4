package hv.hosts.sbi;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The SBI 2.0 implementation (RISC-V SBI specification v2.0): Base, TIME, IPI, RFENCE, HSM, SRST,
 * DBCN and the legacy console/timer/shutdown calls. Calling convention (spec chapter 3): a7 = EID,
 * a6 = FID, a0..a5 = arguments; returns error in a0 and value in a1 (legacy calls: a0 only).
 */
public final class Sbi {

    public static final long SUCCESS = 0, ERR_FAILED = -1, ERR_NOT_SUPPORTED = -2, ERR_INVALID_PARAM = -3,
            ERR_DENIED = -4, ERR_INVALID_ADDRESS = -5, ERR_ALREADY_AVAILABLE = -6, ERR_ALREADY_STARTED = -7,
            ERR_ALREADY_STOPPED = -8;

    static final long EXT_BASE = 0x10, EXT_TIME = 0x54494D45L, EXT_IPI = 0x735049L, EXT_RFENCE = 0x52464E43L,
            EXT_HSM = 0x48534DL, EXT_SRST = 0x53525354L, EXT_DBCN = 0x4442434EL, EXT_PMU = 0x504D55L;
    /**
     * The hardware counters the PMU extension reports: cycle, time and instret (SBI spec chapter 11).
     * Linux enables user access to the time CSR (scounteren.TM, for its vDSO clock_gettime) only
     * from its SBI PMU driver, so without this extension every rdtime in user space would trap.
     */
    private static final int[] PMU_COUNTER_CSRS = {0xC00, 0xC01, 0xC02};
    static final long LEGACY_SET_TIMER = 0, LEGACY_PUTCHAR = 1, LEGACY_GETCHAR = 2, LEGACY_CLEAR_IPI = 3,
            LEGACY_SHUTDOWN = 8;

    /** SBI spec version 2.0: major in bits 30:24, minor in 23:0. */
    static final long SPEC_VERSION = 2L << 24;
    /** Implementation ID: an unregistered value, "HV" in ASCII. */
    public static final long IMPL_ID = 0x4856;
    static final long IMPL_VERSION = 1;

    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A6 = 16, A7 = 17;

    private final SbiPlatform platform;
    /** Calls per extension; vCPU threads call {@link #handle} concurrently, hence atomic. */
    private final AtomicLongArray callCounts = new AtomicLongArray(8);

    public Sbi(SbiPlatform platform) {
        this.platform = platform;
    }

    /**
     * Handles one ecall of {@code hart} whose integer registers are {@code x}; writes the results
     * back into x (error in a0, value in a1). The caller advances pc past the ecall. Never throws
     * for any register values, and allocates nothing on the paths a running kernel uses (TIME,
     * IPI, RFENCE, HSM status): an ecall is a VM exit, and exits must stay cheap.
     */
    public void handle(int hart, long[] x) {
        long eid = x[A7];
        long fid = x[A6];
        if (eid >= 0 && eid <= 8) {
            callCounts.getAndIncrement(0);
            legacy(hart, eid, x);
            return;
        }
        if (eid == EXT_BASE) {
            callCounts.getAndIncrement(1);
            base(fid, x);
        } else if (eid == EXT_TIME) {
            callCounts.getAndIncrement(2);
            if (fid != 0) {
                ret(x, ERR_NOT_SUPPORTED, 0);
                return;
            }
            platform.setTimer(hart, x[A0]);
            ret(x, SUCCESS, 0);
        } else if (eid == EXT_IPI) {
            callCounts.getAndIncrement(3);
            if (fid != 0) {
                ret(x, ERR_NOT_SUPPORTED, 0);
                return;
            }
            forEachHart(x, x[A0], x[A1], ACTION_IPI);
        } else if (eid == EXT_RFENCE) {
            callCounts.getAndIncrement(4);
            rfence(fid, x);
        } else if (eid == EXT_HSM) {
            callCounts.getAndIncrement(5);
            hsm(hart, fid, x);
        } else if (eid == EXT_SRST) {
            callCounts.getAndIncrement(6);
            srst(fid, x);
        } else if (eid == EXT_DBCN) {
            callCounts.getAndIncrement(7);
            dbcn(fid, x);
        } else if (eid == EXT_PMU) {
            pmu(fid, x);
        } else {
            ret(x, ERR_NOT_SUPPORTED, 0);
        }
    }

    /** The SBI return convention (spec chapter 3): error in a0, value in a1. */
    private static void ret(long[] x, long error, long value) {
        x[A0] = error;
        x[A1] = value;
    }

    private void base(long fid, long[] x) {
        switch ((int) fid) {
            case 0 -> ret(x, SUCCESS, SPEC_VERSION);
            case 1 -> ret(x, SUCCESS, IMPL_ID);
            case 2 -> ret(x, SUCCESS, IMPL_VERSION);
            case 3 -> ret(x, SUCCESS, probe(x[A0]) ? 1 : 0);
            case 4, 5, 6 -> ret(x, SUCCESS, 0); // mvendorid, marchid, mimpid: not a commercial implementation
            default -> ret(x, ERR_NOT_SUPPORTED, 0);
        }
    }

    static boolean probe(long eid) {
        return eid == EXT_BASE || eid == EXT_TIME || eid == EXT_IPI || eid == EXT_RFENCE || eid == EXT_HSM
                || eid == EXT_SRST || eid == EXT_DBCN || eid == EXT_PMU || eid == LEGACY_SET_TIMER || eid == LEGACY_PUTCHAR
                || eid == LEGACY_GETCHAR || eid == LEGACY_CLEAR_IPI || eid == LEGACY_SHUTDOWN;
    }

    /**
     * A minimal PMU: the fixed counters are described, but no event can be programmed (HV counts no
     * hardware events), so perf reports them unsupported while the kernel's PMU driver still loads.
     */
    private static void pmu(long fid, long[] x) {
        long arg = x[A0];
        switch ((int) fid) {
            case 0 -> ret(x, SUCCESS, PMU_COUNTER_CSRS.length); // num_counters
            case 1 -> { // counter_get_info: CSR number in bits 11:0, width-1 in bits 17:12, type 0 = hardware
                if (arg < 0 || arg >= PMU_COUNTER_CSRS.length) {
                    ret(x, ERR_INVALID_PARAM, 0);
                } else {
                    ret(x, SUCCESS, PMU_COUNTER_CSRS[(int) arg] | (63L << 12));
                }
            }
            case 4 -> ret(x, SUCCESS, 0); // counter_stop: nothing runs, so stopping always succeeds
            default -> ret(x, ERR_NOT_SUPPORTED, 0); // config_matching, start, fw_read: no programmable events
        }
    }

    private void rfence(long fid, long[] x) {
        switch ((int) fid) {
            case 0 -> fence(x, ACTION_FENCE_I);
            case 1, 2 -> fence(x, fid == 1 ? ACTION_SFENCE : ACTION_SFENCE_ASID);
            default -> ret(x, ERR_NOT_SUPPORTED, 0); // hypervisor-extension fences: no H extension here
        }
    }

    /**
     * A remote fence is done on every target when the call returns (SBI spec, RFENCE extension):
     * ask all targets first, then wait for each, so they fence in parallel.
     */
    private void fence(long[] x, int action) {
        long mask = x[A0], base = x[A1];
        forEachHart(x, mask, base, action);
        if (x[A0] == SUCCESS) {
            forEachHart(x, mask, base, ACTION_AWAIT_FENCES);
        }
    }

    private void hsm(int hart, long fid, long[] x) {
        switch ((int) fid) {
            case 0 -> {
                long target = x[A0];
                if (target < 0 || target >= platform.hartCount()) {
                    ret(x, ERR_INVALID_PARAM, 0);
                } else {
                    ret(x, platform.hartStart((int) target, x[A1], x[A2]), 0);
                }
            }
            case 1 -> ret(x, platform.hartStop(hart), 0);
            case 2 -> {
                long target = x[A0];
                if (target < 0 || target >= platform.hartCount()) {
                    ret(x, ERR_INVALID_PARAM, 0);
                } else {
                    long status = platform.hartStatus((int) target);
                    ret(x, status < 0 ? status : SUCCESS, status < 0 ? 0 : status);
                }
            }
            case 3 -> ret(x, platform.hartSuspend(hart, x[A0] & 0xffff_ffffL, x[A1], x[A2]), 0);
            default -> ret(x, ERR_NOT_SUPPORTED, 0);
        }
    }

    private void srst(long fid, long[] x) {
        if (fid != 0) {
            ret(x, ERR_NOT_SUPPORTED, 0);
            return;
        }
        long t = x[A0] & 0xffff_ffffL;
        long r = x[A1] & 0xffff_ffffL;
        if (t > 2 || r > 1 && r < 0xF000_0000L) {
            ret(x, ERR_INVALID_PARAM, 0);
            return;
        }
        platform.systemReset(t, r);
        ret(x, SUCCESS, 0);
    }

    private void dbcn(long fid, long[] x) {
        long numBytes = x[A0];
        long baseLo = x[A1];
        long baseHi = x[A2];
        switch ((int) fid) {
            case 0, 1 -> {
                if (baseHi != 0 || numBytes < 0) {
                    ret(x, ERR_INVALID_PARAM, 0); // RV64: the whole address is in baseLo
                    return;
                }
                int n = (int) Math.min(numBytes, 4096); // a partial transfer is allowed by the spec
                byte[] buf = new byte[n]; // console traffic, not a hot path
                if (fid == 0) {
                    if (!platform.readPhysical(baseLo, buf, n)) {
                        ret(x, ERR_INVALID_PARAM, 0);
                        return;
                    }
                    for (int i = 0; i < n; i++) {
                        platform.consoleWrite(buf[i]);
                    }
                    ret(x, SUCCESS, n);
                    return;
                }
                int got = 0;
                while (got < n) {
                    int c = platform.consoleRead();
                    if (c < 0) {
                        break;
                    }
                    buf[got++] = (byte) c;
                }
                if (got > 0 && !platform.writePhysical(baseLo, buf, got)) {
                    ret(x, ERR_INVALID_PARAM, 0);
                    return;
                }
                ret(x, SUCCESS, got);
            }
            case 2 -> {
                platform.consoleWrite((byte) numBytes);
                ret(x, SUCCESS, 0);
            }
            default -> ret(x, ERR_NOT_SUPPORTED, 0);
        }
    }

    private void legacy(int hart, long eid, long[] x) {
        long a0 = x[A0];
        switch ((int) eid) {
            case (int) LEGACY_SET_TIMER -> {
                platform.setTimer(hart, a0);
                x[A0] = 0;
            }
            case (int) LEGACY_PUTCHAR -> {
                platform.consoleWrite((byte) a0);
                x[A0] = 0;
            }
            case (int) LEGACY_GETCHAR -> x[A0] = platform.consoleRead();
            case (int) LEGACY_CLEAR_IPI -> {
                platform.clearIpi(hart);
                x[A0] = 0;
            }
            case (int) LEGACY_SHUTDOWN -> {
                platform.systemReset(0, 0);
                x[A0] = 0;
            }
            default -> x[A0] = ERR_NOT_SUPPORTED; // legacy IPI/fences take pointers to hart masks: use the v0.2+ extensions
        }
    }

    private static final int ACTION_IPI = 0, ACTION_FENCE_I = 1, ACTION_SFENCE = 2, ACTION_SFENCE_ASID = 3,
            ACTION_AWAIT_FENCES = 4;

    /**
     * Applies {@code action} to every hart named by (hart_mask, hart_mask_base), SBI spec 3.1, and
     * sets the return registers. An action code rather than a lambda: a capturing lambda would be
     * allocated on every IPI and remote fence.
     */
    private void forEachHart(long[] x, long mask, long base, int action) {
        int n = platform.hartCount();
        long start = x[A2], size = x[A3], asid = x[A4] & 0xffff;
        if (base == -1) {
            for (int h = 0; h < n; h++) {
                apply(action, h, start, size, asid);
            }
            ret(x, SUCCESS, 0);
            return;
        }
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) != 0) {
                long h = base + i;
                if (base < 0 || h >= n) {
                    ret(x, ERR_INVALID_PARAM, 0);
                    return;
                }
            }
        }
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) != 0) {
                apply(action, (int) (base + i), start, size, asid);
            }
        }
        ret(x, SUCCESS, 0);
    }

    private void apply(int action, int hart, long start, long size, long asid) {
        switch (action) {
            case ACTION_IPI -> platform.sendIpi(hart);
            case ACTION_FENCE_I -> platform.remoteFenceI(hart);
            case ACTION_SFENCE -> platform.remoteSfenceVma(hart, start, size, -1);
            case ACTION_AWAIT_FENCES -> platform.awaitRemoteFences(hart);
            default -> platform.remoteSfenceVma(hart, start, size, asid);
        }
    }

    /** Calls per extension, for --stats: legacy, base, time, ipi, rfence, hsm, srst, dbcn. */
    public long[] callCounts() {
        long[] c = new long[callCounts.length()];
        for (int i = 0; i < c.length; i++) {
            c[i] = callCounts.get(i);
        }
        return c;
    }
}
