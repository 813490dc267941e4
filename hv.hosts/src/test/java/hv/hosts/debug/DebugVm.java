package hv.hosts.debug;

import hv.api.config.VmConfig;
import hv.api.device.HostConsole;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.VirtualMachine;
import hv.hosts.VmOutcome;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bare-metal VM running guests/tests/debug/gdb_target.S with the gdb stub on a free loopback
 * port, run on a thread of its own; its symbols (from the toolchain's nm) for breakpoints.
 */
final class DebugVm implements AutoCloseable {
    private static Path elf;
    private static Map<String, Long> symbols;

    final int port;
    private final CompletableFuture<VmOutcome> outcome = new CompletableFuture<>();

    DebugVm(int cpus, boolean waitForDebugger) throws Exception {
        VmConfig config = new VmConfig("gdb-test", cpus, 32L << 20, elf(), Optional.empty(), "", Optional.of("none"),
                List.of(), List.of(), false, false);
        VirtualMachine vm = VirtualMachine.create(config, PluginCatalog.load(List.of()), HostConsole.silent());
        port = vm.attachDebugger(new InetSocketAddress("127.0.0.1", 0), waitForDebugger);
        Thread t = new Thread(() -> {
            try {
                outcome.complete(vm.run());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, "debug-vm");
        t.setDaemon(true);
        t.start();
    }

    /** The guest's exit status (waits at most 20 s). */
    VmOutcome outcome() throws Exception {
        return outcome.get(20, TimeUnit.SECONDS);
    }

    boolean ended() {
        return outcome.isDone();
    }

    @Override
    public void close() {
        // the VM ends with the guest; a test that failed midway leaves a daemon thread behind
    }

    static synchronized Path elf() throws IOException, InterruptedException {
        if (elf == null) {
            Path root = Path.of("").toAbsolutePath();
            while (root != null && !Files.exists(root.resolve("guests/Makefile"))) {
                root = root.getParent();
            }
            if (root == null) {
                throw new IllegalStateException("guests/Makefile not found");
            }
            run(List.of("make", "-s", "-C", root.resolve("guests").toString()));
            elf = root.resolve("guests/out/tests/debug/gdb_target.elf");
        }
        return elf;
    }

    /** The address of a global symbol of the guest. */
    static synchronized long symbol(String name) throws IOException, InterruptedException {
        if (symbols == null) {
            Map<String, Long> m = new HashMap<>();
            for (String line : run(List.of("riscv64-unknown-elf-nm", elf().toString())).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    m.put(f[2], Long.parseUnsignedLong(f[0], 16));
                }
            }
            symbols = m;
        }
        Long v = symbols.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no symbol " + name);
        }
        return v;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed:\n" + out);
        }
        return out;
    }
}
