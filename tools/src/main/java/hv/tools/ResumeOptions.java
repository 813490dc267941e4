package hv.tools;

import hv.api.config.VmConfig;
import hv.hosts.Machine;
import hv.hosts.ResumePoint;
import hv.hosts.control.ControlAddress;
import hv.hosts.control.ControlCommands;
import hv.hosts.control.ControlServer;
import hv.hosts.snapshot.MigrationTarget;
import hv.hosts.snapshot.SavedConfig;
import hv.hosts.snapshot.SnapshotException;
import hv.hosts.snapshot.SnapshotRestore;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code hv run}'s options for snapshots, migration and the control socket. A restored or
 * migrated VM takes its machine from the file or stream; {@code --disk} and {@code --net} may
 * re-point the saved virtio-blk / virtio-net devices' host backends (the n-th option the n-th
 * device), nothing else of the machine can change.
 */
final class ResumeOptions {

    @Option(names = "--restore", paramLabel = "FILE", description = "Resume the VM saved in FILE (a snapshot from the control API); --disk/--net re-point its disks and NICs.")
    Path restore;

    @Option(names = "--incoming", paramLabel = "tcp:[HOST:]PORT", description = "Wait for a live migration on this address (loopback unless HOST is given), then run the VM it brings.")
    String incoming;

    @Option(names = "--control", paramLabel = "unix:PATH|tcp:[HOST:]PORT", description = "A JSON control socket (status, pause, resume, stats, snapshot, migrate, quit); TCP is loopback unless HOST is given.")
    String control;

    /** Where a resumed VM comes from: its config, its resume point and the hook that loads its state. */
    record Source(VmConfig config, ResumePoint point, Machine.StartHook hook, Runnable reject, String what) {
        /** The hook, reporting on stderr how long loading the state took. */
        Machine.StartHook timedHook() {
            return m -> {
                long t0 = System.nanoTime();
                hook.beforeVcpus(m);
                System.err.printf("hv: resumed from %s in %.0f ms%n", what, (System.nanoTime() - t0) / 1e6);
            };
        }
    }

    boolean resuming() {
        return restore != null || incoming != null;
    }

    /** Opens the snapshot or waits for the migration; null when the VM boots normally. */
    Source open(VmOptions vm) {
        if (restore != null && incoming != null) {
            throw new UserError("--restore and --incoming exclude each other", ExitCodes.USAGE);
        }
        if (!resuming()) {
            return null;
        }
        String what = restore != null ? "--restore" : "--incoming";
        if (vm.kernel != null || vm.initrd != null || vm.bios != null || !vm.devices.isEmpty()) {
            throw new UserError(what + " takes the machine from the saved VM: --kernel, --initrd, --bios and --device do not apply",
                    ExitCodes.USAGE);
        }
        try {
            if (restore != null) {
                SnapshotRestore r = SnapshotRestore.open(restore);
                return source(r.config(), r, r::close, vm, restore.toString());
            }
            String[] hp = hostPort(incoming);
            System.err.println("hv: waiting for a migration on " + incoming);
            MigrationTarget t = MigrationTarget.accept(hp[0], Integer.parseInt(hp[1]));
            return source(t.config(), t, () -> t.reject("the target could not build the machine"), vm, "the migration stream");
        } catch (SnapshotException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static Source source(SavedConfig saved, Machine.StartHook hook, Runnable reject, VmOptions vm, String what)
            throws SnapshotException {
        try {
            VmConfig c = saved.toVmConfig(vm.disks, vm.nets, vm.pluginDirs, vm.stats, vm.noReboot);
            return new Source(c, saved.resumePoint(), hook, reject, what);
        } catch (SnapshotException e) {
            reject.run();
            throw e;
        }
    }

    private static String[] hostPort(String text) {
        if (!text.startsWith("tcp:")) {
            throw new UserError("--incoming " + text + ": expected tcp:PORT or tcp:HOST:PORT", ExitCodes.USAGE);
        }
        String rest = text.substring(4);
        int colon = rest.lastIndexOf(':');
        String host = colon < 0 ? null : rest.substring(0, colon);
        String port = colon < 0 ? rest : rest.substring(colon + 1);
        try {
            int n = Integer.parseInt(port);
            if (n < 1 || n > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UserError("--incoming " + text + ": bad port '" + port + "'", ExitCodes.USAGE);
        }
        return new String[] {host == null || host.isEmpty() ? null : host, port};
    }

    /** Starts the control socket for whichever machine {@code current} holds; null without --control. */
    ControlServer startControl(AtomicReference<Machine> current) {
        if (control == null) {
            return null;
        }
        try {
            return ControlServer.start(ControlAddress.parse(control), new ControlCommands(current::get));
        } catch (IllegalArgumentException e) {
            throw new UserError("--control " + e.getMessage(), ExitCodes.USAGE);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
