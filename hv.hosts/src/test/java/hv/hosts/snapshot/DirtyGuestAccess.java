package hv.hosts.snapshot;

import hv.hosts.Machine;
import hv.hosts.VmOutcome;

import java.util.concurrent.CompletableFuture;

/** {@link DirtyGuest} for tests in other packages. */
public final class DirtyGuestAccess {
    private DirtyGuestAccess() {
    }

    public static Machine boot(int rounds) throws Exception {
        return DirtyGuest.boot(DirtyGuest.elf(), rounds);
    }

    public static CompletableFuture<VmOutcome> start(Machine m) {
        return DirtyGuest.start(m, null);
    }

    public static long progress(Machine m) {
        return DirtyGuest.progress(m);
    }

    public static void awaitProgress(Machine m, long rounds) throws InterruptedException {
        DirtyGuest.awaitProgress(m, rounds);
    }

    public static VmOutcome finish(CompletableFuture<VmOutcome> f) throws Exception {
        return DirtyGuest.finish(f);
    }

    /** A machine (built once a source connects) that runs what a migration to {@code server} brings; its run's outcome. */
    public static java.util.Map.Entry<CompletableFuture<Machine>, CompletableFuture<VmOutcome>> incoming(java.net.ServerSocket server) {
        DirtyGuest.Incoming in = DirtyGuest.Incoming.on(server);
        return java.util.Map.entry(in.machine(), in.run());
    }
}
