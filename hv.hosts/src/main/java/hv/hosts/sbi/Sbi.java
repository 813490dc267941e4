package hv.hosts.sbi;

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
    private final long[] callCounts = new long[8];

    public Sbi(SbiPlatform platform) {
        this.platform = platform;
    }

    /**
     * Handles one ecall of {@code hart} whose integer registers are {@code x}; writes the results
     * back into x. The caller advances pc past the ecall. Never throws for any register values.
     */
    public void handle(int hart, long[] x) {
        long eid = x[A7];
        long fid = x[A6];
        if (eid >= 0 && eid <= 8) {
            callCounts[0]++;
            legacy(hart, eid, x);
            return;
        }
        long[] r = dispatch(hart, eid, fid, x);
        x[A0] = r[0];
        x[A1] = r[1];
    }

    private long[] dispatch(int hart, long eid, long fid, long[] x) {
        if (eid == EXT_BASE) {
            callCounts[1]++;
            return base(fid, x[A0]);
        } else if (eid == EXT_TIME) {
            callCounts[2]++;
            if (fid != 0) {
                return err(ERR_NOT_SUPPORTED);
            }
            platform.setTimer(hart, x[A0]);
            return ok(0);
        } else if (eid == EXT_IPI) {
            callCounts[3]++;
            if (fid != 0) {
                return err(ERR_NOT_SUPPORTED);
            }
            return forEachHart(x[A0], x[A1], platform::sendIpi);
        } else if (eid == EXT_RFENCE) {
            callCounts[4]++;
            return rfence(fid, x);
        } else if (eid == EXT_HSM) {
            callCounts[5]++;
            return hsm(hart, fid, x);
        } else if (eid == EXT_SRST) {
            callCounts[6]++;
            return srst(fid, x[A0], x[A1]);
        } else if (eid == EXT_DBCN) {
            callCounts[7]++;
            return dbcn(fid, x[A0], x[A1], x[A2]);
        } else if (eid == EXT_PMU) {
            return pmu(fid, x[A0]);
        }
        return err(ERR_NOT_SUPPORTED);
    }

    private long[] base(long fid, long arg) {
        return switch ((int) fid) {
            case 0 -> ok(SPEC_VERSION);
            case 1 -> ok(IMPL_ID);
            case 2 -> ok(IMPL_VERSION);
            case 3 -> ok(probe(arg) ? 1 : 0);
            case 4, 5, 6 -> ok(0); // mvendorid, marchid, mimpid: not a commercial implementation
            default -> err(ERR_NOT_SUPPORTED);
        };
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
    private long[] pmu(long fid, long arg) {
        return switch ((int) fid) {
            case 0 -> ok(PMU_COUNTER_CSRS.length); // num_counters
            case 1 -> { // counter_get_info: CSR number in bits 11:0, width-1 in bits 17:12, type 0 = hardware
                if (arg < 0 || arg >= PMU_COUNTER_CSRS.length) {
                    yield err(ERR_INVALID_PARAM);
                }
                yield ok(PMU_COUNTER_CSRS[(int) arg] | (63L << 12));
            }
            case 4 -> ok(0); // counter_stop: nothing runs, so stopping always succeeds
            default -> err(ERR_NOT_SUPPORTED); // config_matching, start, fw_read: no programmable events
        };
    }

    private long[] rfence(long fid, long[] x) {
        long mask = x[A0];
        long base = x[A1];
        long start = x[A2];
        long size = x[A3];
        return switch ((int) fid) {
            case 0 -> forEachHart(mask, base, platform::remoteFenceI);
            case 1 -> forEachHart(mask, base, h -> platform.remoteSfenceVma(h, start, size, -1));
            case 2 -> forEachHart(mask, base, h -> platform.remoteSfenceVma(h, start, size, x[A4] & 0xffff));
            default -> err(ERR_NOT_SUPPORTED); // hypervisor-extension fences: no H extension here
        };
    }

    private long[] hsm(int hart, long fid, long[] x) {
        return switch ((int) fid) {
            case 0 -> {
                long target = x[A0];
                if (target < 0 || target >= platform.hartCount()) {
                    yield err(ERR_INVALID_PARAM);
                }
                yield result(platform.hartStart((int) target, x[A1], x[A2]), 0);
            }
            case 1 -> result(platform.hartStop(hart), 0);
            case 2 -> {
                long target = x[A0];
                if (target < 0 || target >= platform.hartCount()) {
                    yield err(ERR_INVALID_PARAM);
                }
                long status = platform.hartStatus((int) target);
                yield status < 0 ? err(status) : ok(status);
            }
            case 3 -> result(platform.hartSuspend(hart, x[A0] & 0xffff_ffffL, x[A1], x[A2]), 0);
            default -> err(ERR_NOT_SUPPORTED);
        };
    }

    private long[] srst(long fid, long type, long reason) {
        if (fid != 0) {
            return err(ERR_NOT_SUPPORTED);
        }
        long t = type & 0xffff_ffffL;
        long r = reason & 0xffff_ffffL;
        if (t > 2 || r > 1 && r < 0xF000_0000L) {
            return err(ERR_INVALID_PARAM);
        }
        platform.systemReset(t, r);
        return ok(0);
    }

    private long[] dbcn(long fid, long numBytes, long baseLo, long baseHi) {
        switch ((int) fid) {
            case 0, 1 -> {
                if (baseHi != 0 || numBytes < 0) {
                    return err(ERR_INVALID_PARAM); // RV64: the whole address is in baseLo
                }
                int n = (int) Math.min(numBytes, 4096); // a partial transfer is allowed by the spec
                byte[] buf = new byte[n];
                if (fid == 0) {
                    if (!platform.readPhysical(baseLo, buf, n)) {
                        return err(ERR_INVALID_PARAM);
                    }
                    for (int i = 0; i < n; i++) {
                        platform.consoleWrite(buf[i]);
                    }
                    return ok(n);
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
                    return err(ERR_INVALID_PARAM);
                }
                return ok(got);
            }
            case 2 -> {
                platform.consoleWrite((byte) numBytes);
                return ok(0);
            }
            default -> {
                return err(ERR_NOT_SUPPORTED);
            }
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

    /** Applies {@code action} to every hart named by (hart_mask, hart_mask_base), SBI spec 3.1. */
    private long[] forEachHart(long mask, long base, java.util.function.IntConsumer action) {
        int n = platform.hartCount();
        if (base == -1) {
            for (int h = 0; h < n; h++) {
                action.accept(h);
            }
            return ok(0);
        }
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) != 0) {
                long h = base + i;
                if (base < 0 || h >= n) {
                    return err(ERR_INVALID_PARAM);
                }
            }
        }
        for (int i = 0; i < 64; i++) {
            if ((mask >>> i & 1) != 0) {
                action.accept((int) (base + i));
            }
        }
        return ok(0);
    }

    /** Calls per extension, for --stats: legacy, base, time, ipi, rfence, hsm, srst, dbcn. */
    public long[] callCounts() {
        return callCounts.clone();
    }

    private static long[] ok(long value) {
        return new long[] {SUCCESS, value};
    }

    private static long[] err(long code) {
        return new long[] {code, 0};
    }

    private static long[] result(long code, long value) {
        return new long[] {code, value};
    }
}
