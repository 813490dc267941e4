package hv.hosts;

import hv.api.config.VmConfig;
import hv.api.device.HostConsole;
import hv.api.net.NetworkBackendProvider;
import hv.api.platform.HartLink;
import hv.cpu.Hart;
import hv.cpu.HartConfig;
import hv.cpu.SharedRegions;
import hv.devices.fdt.VirtMachineTree;
import hv.devices.platform.Clint;
import hv.devices.platform.MachineClock;
import hv.devices.platform.Plic;
import hv.devices.platform.VirtLayout;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.debug.GdbStub;
import hv.hosts.sbi.Sbi;
import hv.hosts.vcpu.VcpuAssistHub;
import hv.hosts.vcpu.VcpuThrottle;
import hv.hosts.vcpu.VcpuThread;
import hv.memory.GuestRam;
import hv.memory.Mmu;
import hv.memory.PhysicalMemory;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One assembled machine of the QEMU {@code virt} shape: RAM at 0x80000000, CLINT, PLIC, the
 * platform devices and the user's devices, N harts each on its own vCPU thread.
 */
public final class Machine {
    /** Park after a PAUSE exit when vCPUs outnumber host cores (measured: see docs/performance-notes.md). */
    static final long DEFAULT_PAUSE_PARK_NANOS = 50_000;
    private final VmConfig config;
    private final GuestRam ram;
    private final MachineClock clock;
    private final List<Hart> harts;
    private final MachineDevices devices;
    private final VmLifecycle lifecycle;
    private final BootPlan plan;
    private final Sbi sbi;
    private final VmSbiPlatform sbiPlatform;
    private final List<VcpuThread> vcpus = new ArrayList<>();
    private final HtifWatcher htif;
    /** What a vCPU does on a PAUSE exit (see VcpuThread.Listener#pauseParkNanos). */
    private final long pauseParkNanos;
    /** The gdb stub, when the user asked for one ({@link #attachDebugger}). */
    private GdbStub gdb;
    /** Snapshot/migration: the interrupt controllers whose state is saved with the harts'. */
    private final Plic plic;
    private final Clint clint;
    /** Built from a snapshot or a migration stream: run() must not reset the harts. */
    private final boolean resumed;
    private final Quiesce quiesce;
    /** Live migration's auto-converge: slows the vCPUs down while it is on. */
    private final VcpuThrottle throttle;
    private volatile long startNanos;

    private Machine(VmConfig config, GuestRam ram, MachineClock clock, List<Hart> harts, MachineDevices devices,
                    VmLifecycle lifecycle, BootPlan plan, HostConsole console, Plic plic, Clint clint, ResumePoint resume,
                    VcpuAssistHub assist) {
        this.plic = plic;
        this.clint = clint;
        this.resumed = resume != null;
        this.config = config;
        this.ram = ram;
        this.clock = clock;
        this.harts = harts;
        this.devices = devices;
        this.lifecycle = lifecycle;
        this.plan = plan;
        boolean hypervisor = config.bios().isEmpty();
        this.pauseParkNanos = pauseParkNanos(config.cpus(), Runtime.getRuntime().availableProcessors());
        this.throttle = new VcpuThrottle(harts.size());
        this.htif = plan.tohost() >= 0 && ram.contains(plan.tohost(), 8) ? new HtifWatcher(ram, plan.tohost(), lifecycle) : null;
        VcpuThread.Listener listener = new VcpuThread.Listener() {
            @Override
            public void sliceEnded(VcpuThread vcpu) {
                if (htif != null) {
                    htif.poll();
                }
                throttle.afterSlice(vcpu.hart().hartId());
            }

            @Override
            public long maxSleepNanos() {
                // HTIF: a guest may write tohost and then idle in WFI; poll it at least every 50 ms.
                return htif != null ? HtifWatcher.POLL_NANOS : VcpuThread.MAX_SLEEP_NANOS;
            }

            @Override
            public long pauseParkNanos() {
                return pauseParkNanos;
            }

            @Override
            public void runDeviceWork() {
                assist.runRequested();
            }

            @Override
            public boolean deviceWorkPending() {
                return assist.pending();
            }

            @Override
            public void fatal(VcpuThread vcpu, String message) {
                lifecycle.fail(message);
            }

            @Override
            public void started(VcpuThread vcpu) {
                if (sbiPlatformRef() != null) {
                    sbiPlatformRef().started(vcpu.hart().hartId());
                }
            }
        };
        for (Hart h : harts) {
            boolean runs = resume != null ? resume.running(h.hartId()) : plan.allHartsStart() || h.hartId() == 0;
            vcpus.add(new VcpuThread(h, listener, runs));
        }
        assist.bind(vcpus);
        if (hypervisor) {
            this.sbiPlatform = new VmSbiPlatform(vcpus, ram, console, lifecycle);
            this.sbi = new Sbi(sbiPlatform);
            for (VcpuThread v : vcpus) {
                v.attachSbi(sbi);
            }
        } else {
            this.sbiPlatform = null;
            this.sbi = null;
        }
        this.quiesce = new Quiesce(vcpus, devices, clock, lifecycle);
    }

    /**
     * A vCPU's wait on a PAUSE exit: yield (0) while every vCPU can have a host core of its own; a
     * short park when vCPUs outnumber the cores, where a yield would often just hand the core to
     * another spinning vCPU. {@code -Dhv.pauseParkNanos=N} overrides (0 = always yield).
     */
    static long pauseParkNanos(int vcpus, int hostCores) {
        Long forced = Long.getLong("hv.pauseParkNanos");
        if (forced != null) {
            return Math.max(0, forced);
        }
        return vcpus > hostCores ? DEFAULT_PAUSE_PARK_NANOS : 0;
    }

    private VmSbiPlatform sbiPlatformRef() {
        return sbiPlatform;
    }

    /** Builds the machine and loads the images. */
    public static Machine build(VmConfig config, PluginCatalog catalog, HostConsole console,
                                Map<String, NetworkBackendProvider> backends) throws VmConfigException {
        return assemble(config, catalog, console, backends, null);
    }

    /**
     * Builds the machine for a snapshot or an incoming migration: same shape, no images loaded
     * (RAM and every component's state come from the stream, before {@link #run(StartHook)}
     * starts the vCPUs).
     */
    public static Machine buildForResume(VmConfig config, PluginCatalog catalog, HostConsole console,
                                         Map<String, NetworkBackendProvider> backends, ResumePoint resume)
            throws VmConfigException {
        if (resume.harts() != config.cpus()) {
            throw new VmConfigException("resume point has " + resume.harts() + " harts, the configuration " + config.cpus());
        }
        return assemble(config, catalog, console, backends, resume);
    }

    private static Machine assemble(VmConfig config, PluginCatalog catalog, HostConsole console,
                                    Map<String, NetworkBackendProvider> backends, ResumePoint resume) throws VmConfigException {
        GuestRam ram;
        try {
            ram = GuestRam.allocate(VirtLayout.RAM_BASE, config.memoryBytes());
        } catch (IllegalArgumentException | OutOfMemoryError e) {
            throw new VmConfigException("--memory " + (config.memoryBytes() >> 20) + "M: " + e.getMessage());
        }
        PhysicalMemory phys = new PhysicalMemory(ram);
        MachineClock clock = new MachineClock();
        boolean hypervisor = config.bios().isEmpty();
        HartConfig hartConfig = hypervisor ? HartConfig.hypervisor() : HartConfig.firmware();
        List<Hart> harts = new ArrayList<>();
        List<HartLink> links = new ArrayList<>();
        SharedRegions translations = new SharedRegions(); // the harts run one kernel: translate it once
        for (int i = 0; i < config.cpus(); i++) {
            Hart h = new Hart(i, new Mmu(phys, i), clock, hartConfig);
            h.shareTranslations(translations);
            harts.add(h);
            links.add(h.link());
        }
        VmLifecycle lifecycle = new VmLifecycle();
        HostConsole vmConsole = new QuittableConsole(console, lifecycle);
        Plic plic = new Plic(links, VirtLayout.PLIC_NDEV);
        Clint clint = new Clint(links, clock);
        phys.mapMmio("plic", VirtLayout.PLIC_BASE, VirtLayout.PLIC_SIZE, plic);
        phys.mapMmio("clint", VirtLayout.CLINT_BASE, VirtLayout.CLINT_SIZE, clint);
        VcpuAssistHub assist = new VcpuAssistHub(); // bound to the vCPUs once the Machine has built them
        MachineDevices devices = MachineDevices.create(config.devices(), catalog, plic, phys.dmaView(), clock,
                vmConsole, lifecycle, config.name(), backends, assist);
        try {
            for (MachineDevices.Placed p : devices.placed()) {
                phys.mapMmio(p.name(), p.base(), p.size(), p.device().mmio());
            }
            BootPlan plan = resume != null ? new BootPlan(0, 0, false, 0, 0, resume.tohost())
                    : BootLoader.load(config, ram, (start, end) -> tree(config, devices, start, end).toDtb());
            for (Hart h : harts) {
                h.flushDecodeCache();
            }
            return new Machine(config, ram, clock, harts, devices, lifecycle, plan, vmConsole, plic, clint, resume, assist);
        } catch (VmConfigException | RuntimeException e) {
            devices.close();
            if (e instanceof IllegalArgumentException iae) {
                throw new VmConfigException(iae.getMessage());
            }
            throw e;
        }
    }

    /** The device tree only (for {@code hv dtb}): devices are created to describe themselves, then closed. */
    public static byte[] deviceTreeOnly(VmConfig config, PluginCatalog catalog, HostConsole console,
                                        Map<String, NetworkBackendProvider> backends) throws VmConfigException {
        GuestRam ram = null;
        PhysicalMemory phys;
        try {
            ram = GuestRam.allocate(VirtLayout.RAM_BASE, Math.max(config.memoryBytes(), VmConfig.MIN_MEMORY));
        } catch (IllegalArgumentException e) {
            throw new VmConfigException("--memory: " + e.getMessage());
        }
        phys = new PhysicalMemory(ram);
        List<HartLink> noHarts = new ArrayList<>();
        for (int i = 0; i < config.cpus(); i++) {
            noHarts.add(new DetachedHartLink(i));
        }
        Plic plic = new Plic(noHarts, VirtLayout.PLIC_NDEV);
        VmLifecycle lifecycle = new VmLifecycle();
        MachineDevices devices = MachineDevices.create(config.devices(), catalog, plic, phys.dmaView(), new MachineClock(),
                console, lifecycle, config.name(), backends, new VcpuAssistHub());
        try {
            return tree(config, devices, -1, -1).toDtb();
        } finally {
            devices.close();
        }
    }

    private static VirtMachineTree tree(VmConfig config, MachineDevices devices, long initrdStart, long initrdEnd) {
        VirtMachineTree t = new VirtMachineTree()
                .harts(config.cpus())
                .memory(VirtLayout.RAM_BASE, config.memoryBytes())
                .bootargs(config.append() == null ? "" : config.append());
        if (initrdStart >= 0) {
            t.initrd(initrdStart, initrdEnd);
        }
        byte[] seed = new byte[64];
        new java.security.SecureRandom().nextBytes(seed);
        t.rngSeed(seed);
        for (MachineDevices.Placed p : devices.placed()) {
            t.device(p.name(), p.device());
        }
        return t;
    }

    /**
     * Serves gdb on {@code address} while the VM runs (port 0: any free port; see hv.hosts.debug);
     * with {@code waitForDebugger} the harts do not run until gdb continues them. Call before
     * {@link #run}. Returns the port.
     */
    public int attachDebugger(java.net.InetSocketAddress address, boolean waitForDebugger) throws java.io.IOException {
        hv.cpu.Breakpoints breakpoints = new hv.cpu.Breakpoints();
        for (Hart h : harts) {
            h.watchBreakpoints(breakpoints);
        }
        gdb = GdbStub.open(address, waitForDebugger, vcpus, ram, breakpoints, lifecycle::quit);
        return gdb.port();
    }

    /** Runs until the VM ends; stops the vCPUs and closes the devices before returning. */
    public VmOutcome run() {
        try {
            return run(null);
        } catch (VmConfigException e) {
            throw new IllegalStateException(e); // no hook, nothing throws it
        }
    }

    /**
     * What runs after the devices have started and before the first vCPU does: a resumed
     * machine loads its state here (a virtio device's restore may post to its started worker).
     */
    public interface StartHook {
        void beforeVcpus(Machine machine) throws VmConfigException;
    }

    /**
     * {@link #run()} with a start hook; when the hook fails, the devices are closed and its
     * exception propagates (nothing ran).
     */
    public VmOutcome run(StartHook hook) throws VmConfigException {
        for (MachineDevices.Placed p : devices.placed()) {
            p.device().start();
        }
        if (hook != null) {
            try {
                hook.beforeVcpus(this);
            } catch (VmConfigException | RuntimeException e) {
                devices.close();
                throw e;
            }
        }
        startNanos = System.nanoTime();
        for (VcpuThread v : vcpus) {
            Hart h = v.hart();
            if (!resumed && (plan.allHartsStart() || h.hartId() == 0)) {
                h.reset(plan.entry(), plan.priv());
                h.x[10] = h.hartId();
                h.x[11] = plan.dtbAddress();
                h.x[12] = plan.a2();
            }
        }
        if (gdb != null) {
            gdb.start(); // before the vCPUs: --gdb-wait holds them
        }
        for (VcpuThread v : vcpus) {
            v.start("hv-vcpu-" + v.hart().hartId());
        }
        if (System.getenv("HV_MONITOR") != null) {
            startMonitor();
        }
        String profile = System.getenv("HV_GUEST_PROFILE");
        GuestPcSampler sampler = profile == null || profile.isEmpty() ? null
                : new GuestPcSampler(vcpus, java.nio.file.Path.of(profile));
        if (sampler != null) {
            sampler.start();
        }
        VmOutcome outcome;
        try {
            outcome = lifecycle.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = VmOutcome.error("interrupted");
        }
        if (sampler != null) {
            sampler.finish();
        }
        if (gdb != null) {
            gdb.vmEnded(outcome.exitCode());
        }
        for (VcpuThread v : vcpus) {
            v.send(new VcpuThread.Command.Finish());
        }
        for (VcpuThread v : vcpus) {
            try {
                v.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (gdb != null) {
            gdb.close();
        }
        devices.close();
        return outcome;
    }

    // ---- snapshot, migration and control (hv.hosts.snapshot, hv.hosts.control) ----

    public VmConfig config() {
        return config;
    }

    public GuestRam ram() {
        return ram;
    }

    public int hartCount() {
        return harts.size();
    }

    /** Instructions retired by all harts so far (racy while running: a figure for reports). */
    public long instret() {
        long total = 0;
        for (Hart h : harts) {
            total += h.retired;
        }
        return total;
    }

    /** Nanoseconds since the vCPUs started (0 before). */
    public long uptimeNanos() {
        long s = startNanos;
        return s == 0 ? 0 : System.nanoTime() - s;
    }

    /** Where a resumed copy of this machine starts: the HTIF word and each hart's run state (call while paused). */
    public ResumePoint resumePoint() {
        boolean[] running = new boolean[vcpus.size()];
        for (int i = 0; i < running.length; i++) {
            running[i] = vcpus.get(i).resumeState() == VcpuThread.State.RUNNING;
        }
        return new ResumePoint(plan.tohost(), running);
    }

    /**
     * Sets which harts run when the machine starts (the rest wait for SBI HSM hart_start): a
     * resumed machine learns it from its stream. Only before {@link #run}.
     */
    public void presetHarts(boolean[] running) {
        if (running.length != vcpus.size()) {
            throw new IllegalArgumentException(running.length + " hart states for " + vcpus.size() + " harts");
        }
        for (int i = 0; i < running.length; i++) {
            vcpus.get(i).presetRunning(running[i]);
        }
        if (sbiPlatform != null) {
            sbiPlatform.readHartStates();
        }
    }

    /**
     * Every component's state in save order: harts, clock, CLINT, PLIC, then each device by its
     * bus name. Save only while {@link #paused()}; restore only in a machine built for resume.
     */
    public List<StateComponent> stateComponents() {
        return MachineStates.components(harts, clock, clint, plic, devices);
    }

    /** The vCPUs' throttle (live migration's auto-converge; off unless a migration turns it on). */
    public VcpuThrottle throttle() {
        return throttle;
    }

    /** Stops every vCPU at an instruction boundary, then the device workers and the guest clock. */
    public void pause() throws VmStateException {
        if (startNanos == 0) {
            throw new VmStateException("the VM has not started yet");
        }
        quiesce.pause();
    }

    public void resume() {
        quiesce.resume();
    }

    public boolean paused() {
        return quiesce.paused();
    }

    /** Ends the VM with this outcome (first end wins); {@link #run} then returns it. */
    public void end(VmOutcome outcome) {
        lifecycle.end(outcome);
    }

    public boolean ended() {
        return lifecycle.ended();
    }

    /** Debug aid (HV_MONITOR=1): prints each hart's pc, privilege and instret every second. */
    private void startMonitor() {
        Thread t = new Thread(() -> {
            while (!lifecycle.ended()) {
                StringBuilder sb = new StringBuilder("monitor:");
                for (VcpuThread v : vcpus) {
                    Hart h = v.hart();
                    sb.append(String.format(" [%d %s pc=%x priv=%d ret=%d scause=%x sepc=%x mie=%x stimecmp=%x time=%x]", h.hartId(), v.state(), h.pc, h.priv, h.retired, h.scause, h.sepc, h.mie, h.stimecmp, clock.mtime()));
                }
                System.getLogger("hv.monitor").log(System.Logger.Level.INFO, sb.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "hv-monitor");
        t.setDaemon(true);
        t.start();
    }

    /** Exit, MMU and SBI statistics, one {@code hv: stats:} line each, ending with the total {@code instret=N}. */
    public String statsReport() {
        StringBuilder sb = new StringBuilder();
        long total = 0;
        for (Hart h : harts) {
            sb.append("hv: stats: hart ").append(h.hartId()).append(": ").append(h.statsLine()).append('\n');
            sb.append("hv: stats: hart ").append(h.hartId()).append(" mmu: ").append(h.mmu().stats()).append('\n');
            total += h.retired;
        }
        if (sbi != null) {
            long[] c = sbi.callCounts();
            sb.append(String.format("hv: stats: sbi calls: legacy=%d base=%d time=%d ipi=%d rfence=%d hsm=%d srst=%d dbcn=%d%n",
                    c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]));
        }
        sb.append("hv: stats: instret=").append(total).append('\n');
        return sb.toString();
    }

    /** A hart link for a machine that never runs (hv dtb): interrupts go nowhere. */
    private record DetachedHartLink(int hartId) implements HartLink {
        @Override
        public void setInterruptPending(int bit, boolean level) {
        }

        @Override
        public void setMachineTimerCompare(long compare) {
        }
    }

    /** Wraps the console so that the user's quit escape ends this VM. */
    private record QuittableConsole(HostConsole inner, VmLifecycle lifecycle) implements HostConsole {
        @Override
        public InputStream input() {
            return inner.input();
        }

        @Override
        public OutputStream output() {
            return inner.output();
        }

        @Override
        public void requestQuit() {
            lifecycle.quit();
        }
    }
}
