package hv.tools;

import hv.hosts.control.ControlAddress;
import hv.hosts.control.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code hv ctl}: sends one command to a running VM's control socket and prints the JSON reply. */
@Command(name = "ctl", description = {"Send one command to a VM started with --control and print its JSON reply.",
        "Commands: status | pause | resume | stats | snapshot path=FILE | migrate host=H port=P [max_rounds=N] [auto_converge=false] [max_bandwidth=BYTES_PER_S] | query-migrate | quit"})
final class CtlCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--control", required = true, paramLabel = "unix:PATH|tcp:[HOST:]PORT", description = "The VM's control socket.")
    String control;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "The command.")
    String command;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Arguments (numbers are sent as numbers).")
    List<String> arguments = List.of();

    @Override
    public Integer call() {
        ControlAddress address;
        try {
            address = ControlAddress.parse(control);
        } catch (IllegalArgumentException e) {
            throw new UserError("--control " + e.getMessage(), ExitCodes.USAGE);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("execute", command);
        Map<String, Object> args = new LinkedHashMap<>();
        for (String a : arguments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UserError("argument '" + a + "': expected KEY=VALUE", ExitCodes.USAGE);
            }
            String v = a.substring(eq + 1);
            args.put(a.substring(0, eq), v.matches("-?[0-9]{1,18}") ? (Object) Long.parseLong(v) : v);
        }
        if (!args.isEmpty()) {
            request.put("arguments", args);
        }
        try (SocketChannel ch = address.unixPath() != null ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            ch.connect(address.address());
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            if (in.readLine() == null) {
                throw new UserError(control + ": the VM closed the connection");
            }
            out.write((Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String reply = in.readLine();
            if (reply == null) {
                throw new UserError(control + ": no reply (the VM ended?)");
            }
            System.out.println(reply);
            return reply.startsWith("{\"return\"") ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        } catch (IOException e) {
            throw new UserError(control + ": " + e.getMessage());
        }
    }
}
