package hv.api.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A TCP/UDP address as users write it on HV's command lines: {@code HOST:PORT}, {@code [v6]:PORT},
 * {@code :PORT} or {@code PORT}. No host means the loopback address: nothing HV opens (NIC
 * backends, the switch, the gdb stub, the control socket) is reachable from the network unless
 * the user wrote a host.
 *
 * @param host the host as written (brackets of an IPv6 literal removed), or empty
 * @param port 0..65535 (0: any free port, where a listener allows it)
 */
public record HostPort(String host, int port) {

    /** @throws IllegalArgumentException naming {@code text} when it is not of the forms above */
    public static HostPort parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "" : text.substring(0, colon);
        String port = colon < 0 ? text : text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not [HOST:]PORT (port 0..65535)");
        }
        return new HostPort(host, p);
    }

    /** True when the user named a host (anything but loopback then needs it). */
    public boolean hostGiven() {
        return !host.isEmpty();
    }

    /** The socket address, looked up now so a bad name is a configuration error, not a later failure. */
    public InetSocketAddress resolve() throws UnknownHostException {
        InetAddress addr = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
        return new InetSocketAddress(addr, port);
    }
}
