package hv.hosts.control;

import hv.api.config.HostPort;

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
            HostPort hp;
            try {
                hp = HostPort.parse(text.substring(4));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(text + ": " + e.getMessage());
            }
            try {
                return new ControlAddress(text, hp.resolve(), null);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(text + ": unknown host " + hp.host());
            }
        }
        throw new IllegalArgumentException(text + ": expected unix:PATH, tcp:PORT or tcp:HOST:PORT");
    }

    @Override
    public String toString() {
        return text;
    }
}
