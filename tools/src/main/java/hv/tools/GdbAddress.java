package hv.tools;

import java.net.InetSocketAddress;

/** Parses {@code --gdb [HOST:]PORT}: loopback unless a host is given (a debugger can do anything to the guest). */
final class GdbAddress {
    private GdbAddress() {
    }

    static InetSocketAddress parse(String spec) {
        String host = "127.0.0.1";
        String port = spec;
        if (spec.startsWith("tcp::")) { // QEMU's spelling: tcp::1234
            port = spec.substring(5);
        } else {
            int colon = spec.lastIndexOf(':');
            if (colon >= 0) {
                host = colon == 0 ? host : spec.substring(0, colon);
                port = spec.substring(colon + 1);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535 || host.isEmpty()) {
            throw new UserError("--gdb " + spec + ": expected [HOST:]PORT, e.g. 127.0.0.1:1234", ExitCodes.USAGE);
        }
        return new InetSocketAddress(host, p);
    }
}
