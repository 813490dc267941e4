package hv.procvm.kernel;

import hv.procvm.fs.FdTable;
import hv.procvm.fs.FileSystemView;
import hv.procvm.fs.OpenFile;
import hv.procvm.fs.StdStream;
import hv.cpu.elf.ElfException;
import hv.procvm.mem.AddressSpace;
import hv.procvm.mem.PhysicalPages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The process VM's kernel: what Linux would be for the guest programs. Owns the physical pages,
 * the file-system view, the process and thread tables, futexes and the system-call layer, and
 * runs the first process until it exits (its children run on as long as it does).
 */
public final class Kernel {
    /** The first guest pid (1 is avoided: programs treat pid 1 as init). */
    static final int FIRST_PID = 100;

    final PhysicalPages pages;
    final FileSystemView fs;
    final VcpuFactory cpus;
    final Futexes futexes = new Futexes();
    final Syscalls syscalls;
    /**
     * The session HV was started in (reported as 1, like the first process's parent): HV's
     * standard streams, when they are a terminal, are this session's controlling terminal.
     */
    static final int INVOKING_SESSION = 1;
    /** The controlling terminal's foreground process group (tcgetpgrp/tcsetpgrp; guarded by {@link #tree}). */
    int foregroundPgrp;

    /** Whether one of HV's own standard streams is a terminal: then /dev/tty is the guest's controlling terminal. */
    boolean hasTerminal() {
        for (OpenFile f : stdio) {
            if (f.isTerminal()) {
                return true;
            }
        }
        return false;
    }

    /** Parsed programs of recent execve calls. */
    final ImageCache images = new ImageCache();
    /** Loaded images of recent execve calls, as address spaces to fork from. */
    final ImageTemplates templates = new ImageTemplates(this);

    /** Guards the process tree (parent/children/zombies) and is the monitor wait4 sleeps on. */
    final Object tree = new Object();
    final int uid;
    final int gid;
    final String hostname;
    final long bootNanos = System.nanoTime();
    private final OpenFile[] stdio;
    private final PrintStream diag;
    private final Map<Integer, GuestProcess> processes = new ConcurrentHashMap<>();
    private final Map<Integer, GuestThread> threads = new ConcurrentHashMap<>();
    private final AtomicInteger nextPid = new AtomicInteger(FIRST_PID);
    private final AtomicInteger nextAsid = new AtomicInteger(1);
    private final Set<Long> reported = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Integer> initStatus = new CompletableFuture<>();
    final AtomicLongArray syscallCounts = new AtomicLongArray(512);
    private volatile GuestProcess init;
    private final AtomicInteger processesCreated = new AtomicInteger();
    private final AtomicInteger threadsCreated = new AtomicInteger();

    /**
     * @param stdio the descriptions behind the first process's fds 0, 1 and 2 (the kernel takes
     *              over one reference to each)
     */
    public Kernel(PhysicalPages pages, FileSystemView fs, VcpuFactory cpus, PrintStream diag, List<OpenFile> stdio) {
        this.pages = pages;
        this.fs = fs;
        this.cpus = cpus;
        this.diag = diag;
        this.syscalls = new Syscalls(this);
        int[] ids = hostIds();
        this.uid = ids[0];
        this.gid = ids[1];
        this.hostname = hostName();
        this.stdio = stdio.toArray(new OpenFile[0]);
    }

    /** HV's own standard streams, passed through. */
    public static List<OpenFile> hostStdio() {
        return List.of(new StdStream(0), new StdStream(1), new StdStream(2));
    }

    private static int[] hostIds() {
        try {
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self"), "unix:uid,gid");
            return new int[] {(Integer) a.get("uid"), (Integer) a.get("gid")};
        } catch (IOException | RuntimeException e) {
            return new int[] {0, 0};
        }
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "hv";
        }
    }

    /** A one-line diagnostic on stderr (the guest owns stdout). */
    void diag(String message) {
        diag.println("hv exec: " + message);
        diag.flush();
    }

    /** HV_STRACE=1 in HV's environment: every system call on stderr (a debugging aid, like qemu's -strace). */
    final boolean strace = System.getenv("HV_STRACE") != null;

    synchronized void trace(String line) {
        diag.println("[strace] " + line);
    }

    /**
     * Reports a missing facility once per {@code key} (a negative key, so it never collides with a
     * call number): e.g. all inotify calls share one "not supported" line.
     */
    void reportOnce(long key, String message) {
        if (reported.add(key)) {
            diag(message);
        }
    }

    /** Reports an unimplemented system call, once per number. */
    void reportUnimplemented(long nr) {
        if (reported.add(nr)) {
            diag("unimplemented system call " + nr + " (" + SyscallNumbers.name(nr) + "), returning ENOSYS");
        }
    }

    /** Guest threads (host threads) alive at once, over all processes: clone fails with EAGAIN beyond. */
    static final int MAX_THREADS = 1024;

    int threadCount() {
        return threads.size();
    }

    int newPid() {
        return nextPid.getAndIncrement();
    }

    int newAsid() {
        int a = nextAsid.getAndIncrement() & 0xffff;
        return a == 0 ? nextAsid.getAndIncrement() & 0xffff : a;
    }

    AddressSpace newAddressSpace() {
        return new AddressSpace(pages, newAsid());
    }

    GuestProcess process(int pid) {
        return processes.get(pid);
    }

    GuestThread thread(int tid) {
        return threads.get(tid);
    }

    Iterable<GuestProcess> allProcesses() {
        return processes.values();
    }

    void register(GuestProcess p) {
        processes.put(p.pid, p);
        processesCreated.incrementAndGet();
    }

    /** Removes a reaped zombie from the process table (caller holds {@link #tree}). */
    void reap(GuestProcess p) {
        processes.remove(p.pid);
    }

    void register(GuestThread t) {
        threads.put(t.tid, t);
        t.process.threads.add(t);
        threadsCreated.incrementAndGet();
    }

    // ------------------------------------------------------------------ the first process

    /**
     * Creates the first process from a program on the guest file system and starts it.
     *
     * @throws ElfException the program is not a riscv64 executable (one-line message)
     * @throws IOException the program cannot be found or read
     */
    public void start(String program, List<String> args, List<String> env, String cwd) throws ElfException, IOException {
        GuestProcess p = new GuestProcess(this, newPid());
        // As a shell with job control starts a command: the leader of its own process group, in
        // the session of whoever started HV (not a session leader), and in the terminal's foreground.
        p.sid = INVOKING_SESSION;
        foregroundPgrp = p.pgid;
        p.cwd = cwd;
        FdTable fds = new FdTable();
        for (int i = 0; i < stdio.length; i++) {
            fds.install(stdio[i], i, false);
        }
        p.fds = fds;
        ProgramLoader.Loaded loaded = ProgramLoader.loadForStart(this, p, program, args, env);
        Vcpu cpu = cpus.create(p.pid);
        GuestThread t = new GuestThread(this, p, p.pid, cpu);
        p.as = loaded.as();
        ProgramLoader.enter(t, loaded);
        register(p);
        register(t);
        init = p;
        t.start();
    }

    /** Waits for the first process to end and returns its wait status. */
    public int awaitExit() throws InterruptedException {
        try {
            return initStatus.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    // ------------------------------------------------------------------ exit

    /**
     * After the first process ended: every process still running is killed (its threads stop at
     * their next slice or wake-up), as qemu-user's exit ends them all. Waits briefly for them.
     */
    public void shutdown() {
        for (GuestProcess p : processes.values()) {
            exitGroup(p, Signals.killedStatus(Signals.SIGKILL), null);
        }
        for (GuestThread t : threads.values()) {
            Thread h = t.hostThread();
            if (h != null) {
                try {
                    h.join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (threads.isEmpty()) {
            templates.clear(); // their frames too: frames-in-use then shows leaks only
        }
    }

    /** Whether every guest thread has stopped. */
    public boolean idle() {
        return threads.isEmpty();
    }

    /** exit_group, or death by signal: every thread of p stops; the last one to go finishes p. */
    void exitGroup(GuestProcess p, int waitStatus, GuestThread caller) {
        if (!p.beginExit(waitStatus)) {
            return;
        }
        for (GuestThread t : p.threads) {
            if (t != caller) {
                t.exitRequested = true;
                t.wake();
            }
        }
    }

    /** Called by each guest thread's host thread when its loop ends. */
    void threadEnded(GuestThread t) {
        GuestProcess p = t.process;
        AddressSpace as = p.as;
        t.deactivate(as);
        if (t.clearChildTid != 0 && !as.destroyed()) {
            try {
                as.writeInt(t.clearChildTid, 0);
                futexes.wake(as, t.clearChildTid, 1, Futexes.BITSET_ALL);
            } catch (RuntimeException e) {
                // The word is gone (unmapped): nothing to clear, as in Linux.
            }
        }
        p.threads.remove(t);
        threads.remove(t.tid);
        instructions.addAndGet(t.cpu.instret());
        if (statsEnabled) {
            guestCpuNanos.addAndGet(Clocks.currentThreadCpuNanos());
            hartStats.append("thread ").append(t.tid).append(": ").append(t.cpu.statsLine()).append('\n');
        }
        cpus.release(t.cpu);
        if (!p.threads.isEmpty()) {
            if (!p.exiting) {
                return;
            }
            // Give the others a moment to stop (they may be blocked on host I/O), then finish anyway.
            for (GuestThread other : p.threads) {
                Thread h = other.hostThread();
                if (h != null && h != Thread.currentThread()) {
                    try {
                        h.join(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        finish(p);
    }

    private void finish(GuestProcess p) {
        synchronized (p) {
            if (p.finished) {
                return;
            }
            p.finished = true;
            if (!p.exiting) {
                p.beginExit(Signals.exitedStatus(0));
            }
            if (p.alarm != null) {
                p.alarm.cancel(false);
            }
        }
        int status = p.pendingExitStatus();
        FdTable fds = p.fds;
        fds.closeAll();
        if (!p.borrowedMm) {
            p.as.destroy();
        }
        CountDownLatch vfork = p.vforkDone;
        if (vfork != null) {
            vfork.countDown();
        }
        GuestProcess parent;
        synchronized (tree) {
            for (GuestProcess c : p.children) {
                c.parent = null;
                if (c.zombie) {
                    processes.remove(c.pid);
                }
            }
            p.children.clear();
            p.zombie = true;
            p.waitStatus = status;
            parent = p.parent;
            boolean autoReap = parent == null || parent.exiting
                    || parent.action(Signals.SIGCHLD).handler() == Signals.SIG_IGN
                    || (parent.action(Signals.SIGCHLD).flags() & Signals.SA_NOCLDWAIT) != 0;
            if (autoReap) {
                if (parent != null) {
                    parent.children.remove(p);
                }
                processes.remove(p.pid);
            }
            tree.notifyAll();
        }
        if (parent != null && p.exitSignal != 0 && !parent.exiting) {
            signalProcess(parent, p.exitSignal, SigInfo.child(p.pid, uid, status));
        }
        if (parent != null) {
            for (GuestThread pt : parent.threads) {
                pt.wake();
            }
        }
        if (p == init) {
            initStatus.complete(status);
        }
    }

    // ------------------------------------------------------------------ signals

    /** A process-directed signal (kill): pending for the process, taken by any thread that does not block it. */
    void signalProcess(GuestProcess p, int sig, SigInfo info) {
        if (p.exiting) {
            return;
        }
        if (sig == Signals.SIGKILL) {
            exitGroup(p, Signals.killedStatus(Signals.SIGKILL), null);
            return;
        }
        if (p.ignores(sig)) {
            return;
        }
        p.setSharedInfo(sig, info);
        p.sharedPending.getAndUpdate(x -> x | Signals.bit(sig));
        for (GuestThread t : p.threads) {
            t.wake();
        }
    }

    /** A thread-directed signal (tgkill). */
    void signalThread(GuestThread t, int sig, SigInfo info) {
        GuestProcess p = t.process;
        if (sig == Signals.SIGKILL) {
            exitGroup(p, Signals.killedStatus(Signals.SIGKILL), null);
            return;
        }
        if (p.ignores(sig)) {
            return;
        }
        t.setInfo(sig, info);
        t.pending.getAndUpdate(x -> x | Signals.bit(sig));
        t.wake();
    }

    // ------------------------------------------------------------------ statistics

    /** The --stats report. */
    public String statsReport() {
        StringBuilder sb = new StringBuilder();
        sb.append("processes=").append(processesCreated.get()).append(" threads=").append(threadsCreated.get())
                .append(" frames-in-use=").append(pages.framesInUse()).append('\n');
        sb.append("system calls:");
        for (int i = 0; i < syscallCounts.length(); i++) {
            long n = syscallCounts.get(i);
            if (n > 0) {
                sb.append(' ').append(SyscallNumbers.name(i)).append('=').append(n);
            }
        }
        sb.append('\n');
        sb.append("instructions=").append(instructions.get()).append('\n');
        sb.append(images.stats()).append("; ").append(templates.stats()).append('\n');
        sb.append(Clocks.jvmCosts(guestCpuNanos.get())).append('\n');
        sb.append(hartStats);
        return sb.toString();
    }

    /** Per-hart counters of threads that have ended (for --stats). */
    private final StringBuffer hartStats = new StringBuffer();
    /** CPU time of the host threads of ended guest threads (--stats). */
    private final AtomicLong guestCpuNanos = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong instructions = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean statsEnabled;

    public void enableStats() {
        statsEnabled = true;
    }

    /** Guest instructions retired by threads that have ended. */
    public long instructionsRetired() {
        return instructions.get();
    }
}
