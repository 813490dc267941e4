package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;

/** Opens backends through their providers, as a frontend would. */
final class Backends {
    private Backends() {
    }

    static NetworkBackend open(String spec, FrameSink sink) throws DeviceConfigException {
        DeviceOptions o = DeviceOptions.parse(spec);
        return switch (o.deviceType()) {
            case "stream" -> new StreamBackendProvider().open(o, sink);
            case "dgram" -> new DgramBackendProvider().open(o, sink);
            case "switch" -> new SwitchBackendProvider().open(o, sink);
            default -> throw new IllegalArgumentException(spec);
        };
    }

    static ListeningStreamBackend listen(FrameSink sink, String extra) throws DeviceConfigException {
        return (ListeningStreamBackend) open("stream,listen=127.0.0.1:0" + extra, sink);
    }

    static int port(NetworkBackend b) {
        return b instanceof ListeningStreamBackend l ? l.localAddress().getPort() : ((DgramBackend) b).localAddress().getPort();
    }
}
