package hv.hosts.snapshot;

import hv.api.config.VmConfig;
import hv.api.device.HostConsole;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.Machine;
import hv.hosts.ResumePoint;
import hv.hosts.VmConfigException;
import hv.hosts.VmOutcome;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bare-metal guest guests/snap/dirty.c on a one-hart, 16 MiB machine without devices: it
 * rewrites a 2 MiB buffer round after round and leaves a checksum that depends only on the number
 * of rounds ({@link #expectedChecksum}, computed here independently of any VM).
 */
final class DirtyGuest {
    static final long MEMORY = 16L << 20;
    static final long MAILBOX = 0xf00000; // RAM offset of the guest's mailbox (dirty.c)
    static final int WORDS = (2 << 20) / 8;

    private DirtyGuest() {
    }

    static Path elf() throws IOException, InterruptedException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("guests/Makefile"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("guests/Makefile not found");
        }
        Process make = new ProcessBuilder("make", "-s", "-C", p.resolve("guests").toString()).redirectErrorStream(true).start();
        String out = new String(make.getInputStream().readAllBytes());
        if (make.waitFor() != 0) {
            throw new IllegalStateException("make -C guests failed:\n" + out);
        }
        return p.resolve("guests/out/snap/dirty.elf");
    }

    static VmConfig config(Path elf) {
        return new VmConfig("snap-test", 1, MEMORY, elf, Optional.empty(), "", Optional.of("none"), List.of(), List.of(),
                false, false);
    }

    static PluginCatalog noPlugins() {
        return PluginCatalog.load(List.of());
    }

    /** A booted machine that will run {@code rounds} rounds (not started). */
    static Machine boot(Path elf, int rounds) throws VmConfigException {
        Machine m = Machine.build(config(elf), noPlugins(), HostConsole.silent(), Map.of());
        m.ram().putLong(MAILBOX + 16, rounds);
        return m;
    }

    static Machine forResume(VmConfig config, ResumePoint r) throws VmConfigException {
        return Machine.buildForResume(config, noPlugins(), HostConsole.silent(), Map.of(), r);
    }

    /** Runs the machine on its own thread. */
    static CompletableFuture<VmOutcome> start(Machine m, Machine.StartHook hook) {
        CompletableFuture<VmOutcome> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(m.run(hook));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "test-vm");
        t.setDaemon(true);
        t.start();
        return f;
    }

    static long progress(Machine m) {
        return m.ram().getLongVolatile(MAILBOX + 8);
    }

    static long checksum(Machine m) {
        return m.ram().getLongVolatile(MAILBOX);
    }

    /** Waits until the guest has done at least {@code rounds} rounds. */
    static void awaitProgress(Machine m, long rounds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (progress(m) < rounds) {
            if (System.nanoTime() > deadline || m.ended()) {
                throw new AssertionError("guest did not reach round " + rounds + " (at " + progress(m) + ")");
            }
            Thread.sleep(2);
        }
    }

    static VmOutcome finish(CompletableFuture<VmOutcome> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** dirty.c's result after {@code rounds} rounds, computed without a VM. */
    static long expectedChecksum(int rounds) {
        long[] buf = new long[WORDS];
        long x = 0x9e3779b97f4a7c15L;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < WORDS; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                buf[i] = buf[i] * 31 + x;
            }
        }
        long sum = 0;
        for (int i = 0; i < WORDS; i++) {
            sum = sum * 1099511628211L + buf[i];
        }
        return sum;
    }

    /** A machine that will run what an {@code --incoming} brings on {@code server}, on its own thread. */
    record Incoming(CompletableFuture<Machine> machine, CompletableFuture<VmOutcome> run) {
        static Incoming on(ServerSocket server) {
            Incoming in = new Incoming(new CompletableFuture<>(), new CompletableFuture<>());
            Thread t = new Thread(() -> {
                try {
                    MigrationTarget target = MigrationTarget.accept(server);
                    Machine m = DirtyGuest.forResume(target.config().toVmConfig(List.of(), List.of(), List.of(), false, false),
                            target.config().resumePoint());
                    in.machine.complete(m);
                    in.run.complete(m.run(target));
                } catch (Throwable e) {
                    in.machine.completeExceptionally(e);
                    in.run.completeExceptionally(e);
                }
            }, "test-incoming");
            t.setDaemon(true);
            t.start();
            return in;
        }
    }
}
