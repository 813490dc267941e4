package hv.tools;

import hv.api.config.HostPort;

import java.net.InetSocketAddress;

/** Parses {@code --gdb [HOST:]PORT}: loopback unless a host is given (a debugger can do anything to the guest). */
final class GdbAddress {
    private GdbAddress() {
    }

    static InetSocketAddress parse(String spec) {
        String address = spec.startsWith("tcp::") ? spec.substring(5) : spec; // QEMU's spelling: tcp::1234
        try {
            HostPort hp = HostPort.parse(address);
            return new InetSocketAddress(hp.hostGiven() ? hp.host() : "127.0.0.1", hp.port());
        } catch (IllegalArgumentException e) {
            throw new UserError("--gdb " + spec + ": expected [HOST:]PORT, e.g. 127.0.0.1:1234", ExitCodes.USAGE);
        }
    }
}
