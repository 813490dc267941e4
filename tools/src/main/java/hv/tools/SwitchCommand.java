package hv.tools;

import hv.tools.netswitch.SwitchConfig;
import hv.tools.netswitch.SwitchServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code hv switch}: a virtual L2 learning switch that VMs join with {@code --net switch,connect=HOST:PORT}. */
@Command(name = "switch", mixinStandardHelpOptions = true, description = {
        "Run a virtual Ethernet switch (MAC learning with ageing, flooding of broadcast/multicast/unknown unicast).",
        "VMs join with --net switch,connect=HOST:PORT; QEMU VMs with -netdev stream,server=off,addr.type=inet,addr.host=HOST,addr.port=PORT.",
        "Type 'stats' (or 'quit') on stdin; per-port counters are also printed on exit."})
final class SwitchCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + SwitchConfig.DEFAULT_PORT,
            description = "Address to accept ports on (default ${DEFAULT-VALUE}); a bare :PORT means loopback.")
    String listen;

    @Option(names = "--ageing", paramLabel = "SECONDS", defaultValue = "" + SwitchConfig.DEFAULT_AGEING_SECONDS,
            description = "Forget a MAC address after this long without frames from it (default ${DEFAULT-VALUE}).")
    long ageingSeconds;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "0",
            description = "Print the counters every SECONDS (0 = only on request and on exit).")
    long statsInterval;

    @Option(names = "--max-ports", defaultValue = "" + SwitchConfig.DEFAULT_MAX_PORTS, description = "Most ports at once (default ${DEFAULT-VALUE}).")
    int maxPorts;

    @Option(names = "--max-macs", defaultValue = "" + SwitchConfig.DEFAULT_MAX_MACS, description = "MAC table capacity (default ${DEFAULT-VALUE}).")
    int maxMacs;

    @Option(names = "--max-frame", defaultValue = "" + SwitchConfig.DEFAULT_MAX_FRAME, description = "Largest frame forwarded, bytes (default ${DEFAULT-VALUE}).")
    int maxFrame;

    @Option(names = "--port-buffer", paramLabel = "BYTES", defaultValue = "" + SwitchConfig.DEFAULT_PORT_BUFFER,
            description = "Outbound bytes queued per port before frames to it are dropped (default ${DEFAULT-VALUE}).")
    int portBuffer;

    @Override
    public Integer call() throws Exception {
        SwitchConfig config;
        try {
            InetSocketAddress address = SwitchConfig.parseAddress(listen);
            if (address.isUnresolved()) {
                throw new UserError("switch: unknown host in --listen " + listen);
            }
            if (ageingSeconds < 1 || statsInterval < 0) {
                throw new UserError("switch: --ageing must be >= 1 and --stats-interval >= 0");
            }
            config = new SwitchConfig(address, TimeUnit.SECONDS.toNanos(ageingSeconds), maxMacs, maxPorts, maxFrame, portBuffer);
        } catch (IllegalArgumentException e) {
            throw new UserError("switch: " + e.getMessage(), ExitCodes.USAGE);
        }
        SwitchServer server = new SwitchServer(config);
        InetSocketAddress bound;
        try {
            bound = server.start();
        } catch (IOException e) {
            throw new UserError("switch: " + e.getMessage());
        }
        System.err.println("hv switch: listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                + " (type 'stats' or 'quit')");
        AtomicBoolean printedFinal = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (printedFinal.compareAndSet(false, true)) {
                System.out.print(server.statsText());
                System.out.flush();
            }
            server.close();
        }, "hv-switch-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        if (statsInterval > 0) {
            Thread.ofPlatform().daemon().name("hv-switch-stats").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(TimeUnit.SECONDS.toMillis(statsInterval));
                        System.out.print(server.statsText());
                        System.out.flush();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Thread.ofPlatform().daemon().name("hv-switch-stdin").start(() -> readCommands(server));
        server.awaitClose();
        if (printedFinal.compareAndSet(false, true)) {
            System.out.print(server.statsText());
            System.out.flush();
        }
        server.close();
        return ExitCodes.OK;
    }

    /** stdin: 'stats' prints the counters, 'quit' stops the switch. End of input is not a quit (the switch may run detached). */
    private static void readCommands(SwitchServer server) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                switch (line.trim()) {
                    case "stats" -> {
                        System.out.print(server.statsText());
                        System.out.flush();
                    }
                    case "quit", "exit" -> {
                        server.closeServer();
                        return;
                    }
                    case "" -> {
                    }
                    default -> System.err.println("hv switch: commands are 'stats' and 'quit'");
                }
            }
        } catch (IOException e) {
            // stdin gone: keep switching.
        }
    }
}
