package hv.plugin.net.sockets;

import hv.api.config.HostPort;
import hv.api.device.DeviceConfigException;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A backend option that holds an address ({@code connect=}, {@code listen=}, {@code local=},
 * {@code remote=}): parsed as hv.api's {@link HostPort} (no host means loopback) and resolved now,
 * so a bad value is a configuration error that names the backend and the key.
 */
final class OptionAddress {
    private OptionAddress() {
    }

    static InetSocketAddress resolve(String backend, String key, String value) throws DeviceConfigException {
        HostPort hp;
        try {
            hp = HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new DeviceConfigException(backend + ": " + key + "=" + value + " is not HOST:PORT (port 0..65535)");
        }
        try {
            return hp.resolve();
        } catch (UnknownHostException e) {
            throw new DeviceConfigException(backend + ": " + key + ": unknown host '" + hp.host() + "'");
        }
    }
}
