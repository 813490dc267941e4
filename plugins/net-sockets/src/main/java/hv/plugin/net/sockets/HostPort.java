package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A {@code HOST:PORT} option value. {@code [v6addr]:PORT} is accepted; an empty host
 * ({@code :5555}) or a bare port means the loopback address, so nothing ever listens on a
 * reachable interface unless the user writes that address out.
 */
record HostPort(String host, int port) {

    static HostPort parse(String backend, String key, String value) throws DeviceConfigException {
        String host;
        String port;
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            host = "";
            port = value;
        } else {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
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
            throw new DeviceConfigException(backend + ": " + key + "=" + value + " is not HOST:PORT (port 0..65535)");
        }
        return new HostPort(host, p);
    }

    /** Resolves now, so a bad host name is a configuration error before the VM starts. */
    InetSocketAddress resolve(String backend, String key) throws DeviceConfigException {
        try {
            InetAddress addr = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(addr, port);
        } catch (UnknownHostException e) {
            throw new DeviceConfigException(backend + ": " + key + ": unknown host '" + host + "'");
        }
    }
}
