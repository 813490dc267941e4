package hv.hosts.control;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Where a control socket listens: {@code unix:PATH}, {@code tcp:PORT} (loopback) or
 * {@code tcp:HOST:PORT} (only when the host is given is anything but loopback reachable: the API
 * can snapshot to any path the user may write and end the VM, so it is not exposed by default).
 */
public record ControlAddress(String text, SocketAddress address, Path unixPath) {

    public static ControlAddress parse(String text) throws IllegalArgumentException {
        if (text.startsWith("unix:")) {
            String p = text.substring(5);
            if (p.isEmpty()) {
                throw new IllegalArgumentException(text + ": unix:PATH needs a path");
            }
            Path path = Path.of(p);
            return new ControlAddress(text, UnixDomainSocketAddress.of(path), path);
        }
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            String host = colon < 0 ? null : rest.substring(0, colon);
            String port = colon < 0 ? rest : rest.substring(colon + 1);
            int n;
            try {
                n = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(text + ": '" + port + "' is not a port number");
            }
            if (n < 0 || n > 65535) {
                throw new IllegalArgumentException(text + ": port " + n + " is out of range");
            }
            try {
                InetAddress addr = host == null || host.isEmpty() ? InetAddress.getLoopbackAddress()
                        : InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                return new ControlAddress(text, new InetSocketAddress(addr, n), null);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(text + ": unknown host " + host);
            }
        }
        throw new IllegalArgumentException(text + ": expected unix:PATH, tcp:PORT or tcp:HOST:PORT");
    }

    @Override
    public String toString() {
        return text;
    }
}
