package hv.procvm.kernel;

import hv.procvm.fs.Errno;
import hv.procvm.fs.HostRandom;
import hv.procvm.fs.ErrnoException;
import hv.procvm.mem.AddressSpace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Identity, limits, system information, randomness, time and sleeping. */
final class InfoCalls {
    static final int PR_SET_PDEATHSIG = 1, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16,
            PR_CAPBSET_READ = 23, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_SET_CHILD_SUBREAPER = 36,
            PR_SET_VMA = 0x53564d41;
    static final int TIMER_ABSTIME = 1;
    static final int ITIMER_REAL = 0;

    private final Kernel k;
    private ScheduledExecutorService timers;

    /** The interval-timer thread, started on the first setitimer. */
    private synchronized ScheduledExecutorService timers() {
        if (timers == null) {
            timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "guest-itimers");
                th.setDaemon(true);
                return th;
            });
        }
        return timers;
    }

    InfoCalls(Kernel k) {
        this.k = k;
    }

    long getres(GuestThread t, long r, long e, long s, int id) {
        AddressSpace as = t.process.as;
        as.writeInt(r, id);
        as.writeInt(e, id);
        as.writeInt(s, id);
        return 0;
    }

    long getgroups(GuestThread t, int size, long list) {
        if (size < 0) {
            return -Errno.EINVAL;
        }
        if (size == 0) {
            return 1;
        }
        t.process.as.writeInt(list, k.gid);
        return 1;
    }

    long prlimit(GuestThread t, int pid, int resource, long newPtr, long oldPtr) {
        GuestProcess p = pid == 0 ? t.process : k.process(pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        if (resource < 0 || resource >= p.rlimits.length) {
            return -Errno.EINVAL;
        }
        AddressSpace as = t.process.as;
        long[] lim = p.rlimits[resource];
        if (oldPtr != 0) {
            as.writeLong(oldPtr, lim[0]);
            as.writeLong(oldPtr + 8, lim[1]);
        }
        if (newPtr != 0) {
            long cur = as.readLong(newPtr);
            long max = as.readLong(newPtr + 8);
            if (Long.compareUnsigned(cur, max) > 0) {
                return -Errno.EINVAL;
            }
            p.rlimits[resource] = new long[] {cur, max};
        }
        return 0;
    }

    /** struct rusage: the user time is the host CPU time of the guest threads; the rest is zero. */
    long getrusage(GuestThread t, int who, long buf) {
        long cpu = who == 1 /* RUSAGE_THREAD */ ? Clocks.threadCpuNanos(t) : who == -1 ? 0 : Clocks.processCpuNanos(t.process);
        ByteBuffer b = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, cpu / 1_000_000_000L).putLong(8, (cpu / 1000) % 1_000_000L);
        b.putLong(32, (long) k.pages.framesInUse() * 4);
        t.process.as.writeBytes(buf, b.array(), 0, 144);
        return 0;
    }

    long times(GuestThread t, long buf) {
        long ticks = (System.nanoTime() - k.bootNanos) / 10_000_000L;
        if (buf != 0) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, Clocks.processCpuNanos(t.process) / 10_000_000L);
            t.process.as.writeBytes(buf, b.array(), 0, 32);
        }
        return ticks;
    }

    long schedGetaffinity(GuestThread t, int pid, long len, long mask) {
        if (len < 8 || (len & 7) != 0) {
            return -Errno.EINVAL;
        }
        int cpus = Math.min(64, Runtime.getRuntime().availableProcessors());
        t.process.as.writeLong(mask, cpus == 64 ? -1L : (1L << cpus) - 1);
        return 8;
    }

    long getcpu(GuestThread t, long cpu, long node) {
        if (cpu != 0) {
            t.process.as.writeInt(cpu, 0);
        }
        if (node != 0) {
            t.process.as.writeInt(node, 0);
        }
        return 0;
    }

    long prctl(GuestThread t, int option, long arg2) {
        GuestProcess p = t.process;
        switch (option) {
            case PR_SET_NAME -> {
                byte[] b = p.as.readBytes(arg2, 16);
                int n = 0;
                while (n < 15 && b[n] != 0) {
                    n++;
                }
                p.comm = new String(b, 0, n, StandardCharsets.UTF_8);
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] name = p.comm.getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[16];
                System.arraycopy(name, 0, out, 0, Math.min(15, name.length));
                p.as.writeBytes(arg2, out, 0, 16);
                return 0;
            }
            case PR_GET_DUMPABLE, PR_CAPBSET_READ -> {
                return 1;
            }
            case PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER, PR_SET_VMA -> {
                return 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    long capget(GuestThread t, long hdr, long data) {
        if (data != 0) {
            t.process.as.writeBytes(data, new byte[24], 0, 24);
        }
        return 0;
    }

    /** struct utsname: six 65-byte fields. The machine is riscv64; the release is the host's. */
    long uname(GuestThread t, long buf) {
        String release = "Linux".equals(System.getProperty("os.name")) ? System.getProperty("os.version") : "6.1.0";
        String[] fields = {"Linux", k.hostname, release, "#1 SMP HV process VM", "riscv64", "(none)"};
        byte[] out = new byte[65 * 6];
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, out, 65 * i, Math.min(64, f.length));
        }
        t.process.as.writeBytes(buf, out, 0, out.length);
        return 0;
    }

    long sysinfo(GuestThread t, long buf) {
        ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
        long total = (long) k.pages.frameCount() * 4096;
        long free = total - (long) k.pages.framesInUse() * 4096;
        b.putLong(0, (System.nanoTime() - k.bootNanos) / 1_000_000_000L);
        b.putLong(32, total).putLong(40, free);
        int procs = 0;
        for (GuestProcess p : k.allProcesses()) {
            procs += p.threads.size();
        }
        b.putShort(80, (short) procs);
        b.putInt(104, 1);
        t.process.as.writeBytes(buf, b.array(), 0, 112);
        return 0;
    }

    long getrandom(GuestThread t, long buf, long len) {
        if (len < 0) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(len, 32 << 20);
        byte[] b = new byte[n];
        HostRandom.fill(b);
        t.process.as.writeBytes(buf, b, 0, n);
        return n;
    }

    // ------------------------------------------------------------------ time

    private static void writeTimespec(AddressSpace as, long ptr, long nanos) {
        as.writeLong(ptr, Math.floorDiv(nanos, 1_000_000_000L));
        as.writeLong(ptr + 8, Math.floorMod(nanos, 1_000_000_000L));
    }

    long clockGettime(GuestThread t, int clock, long ts) {
        long now = Clocks.now(k, t, clock);
        if (now < 0) {
            return -Errno.EINVAL;
        }
        writeTimespec(t.process.as, ts, now);
        return 0;
    }

    long clockGetres(GuestThread t, int clock, long ts) {
        if (Clocks.now(k, t, clock) < 0) {
            return -Errno.EINVAL;
        }
        if (ts != 0) {
            writeTimespec(t.process.as, ts, 1);
        }
        return 0;
    }

    long gettimeofday(GuestThread t, long tv, long tz) {
        long now = Clocks.realtimeNanos();
        if (tv != 0) {
            t.process.as.writeLong(tv, now / 1_000_000_000L);
            t.process.as.writeLong(tv + 8, (now / 1000) % 1_000_000L);
        }
        if (tz != 0) {
            t.process.as.writeLong(tz, 0);
        }
        return 0;
    }

    /** Sleeps interruptibly; on a signal writes the time left to rem and fails with EINTR. */
    private long sleep(GuestThread t, long nanos, long rem) {
        long deadline = System.nanoTime() + nanos;
        Object idle = new Object();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return 0;
            }
            if (!t.await(idle, () -> false, left)) {
                if (rem != 0) {
                    writeTimespec(t.process.as, rem, Math.max(0, deadline - System.nanoTime()));
                }
                t.restartAllowed = false;
                return -Errno.ERESTARTSYS;
            }
        }
    }

    long nanosleep(GuestThread t, long req, long rem) throws ErrnoException {
        return sleep(t, PollCalls.timeout(t, req), rem);
    }

    long clockNanosleep(GuestThread t, int clock, int flags, long req, long rem) throws ErrnoException {
        long now = Clocks.now(k, t, clock);
        if (now < 0) {
            return -Errno.EINVAL;
        }
        long v = PollCalls.timeout(t, req);
        long nanos = (flags & TIMER_ABSTIME) != 0 ? v - now : v;
        long r = sleep(t, Math.max(0, nanos), (flags & TIMER_ABSTIME) != 0 ? 0 : rem);
        return r;
    }

    /** ITIMER_REAL: SIGALRM to the process after the value, then every interval (setitimer(2)). */
    long itimer(GuestThread t, int which, long newPtr, long oldPtr, boolean getOnly) {
        if (which != ITIMER_REAL) {
            return -Errno.EINVAL;
        }
        GuestProcess p = t.process;
        AddressSpace as = p.as;
        long out = getOnly ? newPtr : oldPtr;
        synchronized (p) {
            if (out != 0) {
                long left = p.alarm == null ? 0 : Math.max(0, p.alarm.getDelay(TimeUnit.MICROSECONDS));
                as.writeLong(out, p.alarmIntervalMicros / 1_000_000L);
                as.writeLong(out + 8, p.alarmIntervalMicros % 1_000_000L);
                as.writeLong(out + 16, left / 1_000_000L);
                as.writeLong(out + 24, left % 1_000_000L);
            }
            if (getOnly || newPtr == 0) {
                return 0;
            }
            long interval = as.readLong(newPtr) * 1_000_000L + as.readLong(newPtr + 8);
            long value = as.readLong(newPtr + 16) * 1_000_000L + as.readLong(newPtr + 24);
            if (p.alarm != null) {
                p.alarm.cancel(false);
                p.alarm = null;
            }
            p.alarmIntervalMicros = interval;
            if (value > 0) {
                Runnable fire = () -> k.signalProcess(p, Signals.SIGALRM, SigInfo.kernel(Signals.SIGALRM));
                p.alarm = interval > 0
                        ? timers().scheduleAtFixedRate(fire, value, interval, TimeUnit.MICROSECONDS)
                        : timers().schedule(fire, value, TimeUnit.MICROSECONDS);
            }
            return 0;
        }
    }
}
