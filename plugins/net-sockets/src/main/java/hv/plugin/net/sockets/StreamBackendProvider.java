package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.OptionSpec;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.api.net.NetworkBackendProvider;

import java.util.List;

/** {@code stream}: a TCP cable with QEMU's length-prefix framing; one end listens, the other connects. */
public final class StreamBackendProvider implements NetworkBackendProvider {

    static final OptionSpec MAX_FRAME = OptionSpec.optional("max-frame",
            "largest frame in bytes (default " + FrameLimits.DEFAULT_MAX_FRAME + "); longer ones are dropped and counted");
    static final OptionSpec TX_BUDGET = OptionSpec.optional("tx-budget",
            "bytes of guest frames that may wait for a slow peer before frames are dropped (default 1 MiB)");
    static final OptionSpec BACKOFF_MAX = OptionSpec.optional("backoff-max",
            "longest delay between connection attempts, in ms (default 5000)");

    @Override
    public String type() {
        return "stream";
    }

    @Override
    public String description() {
        return "TCP link, 4-byte big-endian length + frame (QEMU -netdev stream/socket); listen=HOST:PORT or connect=HOST:PORT";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.optional("listen", "accept one peer on HOST:PORT (host defaults to loopback)"),
                OptionSpec.optional("connect", "connect to HOST:PORT, redialling with backoff"),
                MAX_FRAME, TX_BUDGET, BACKOFF_MAX);
    }

    @Override
    public NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException {
        options.checkKnown(options());
        StreamSettings settings = StreamSettings.from(type(), options);
        var listen = options.get("listen");
        var connect = options.get("connect");
        if (listen.isPresent() == connect.isPresent()) {
            throw new DeviceConfigException("stream: give exactly one of listen=HOST:PORT or connect=HOST:PORT");
        }
        if (listen.isPresent()) {
            var local = OptionAddress.resolve(type(), "listen", listen.get());
            return new ListeningStreamBackend("stream(listen=" + listen.get() + ")", local, sink, settings);
        }
        var remote = OptionAddress.resolve(type(), "connect", connect.get());
        return new ConnectingStreamBackend("stream(connect=" + connect.get() + ")", remote, sink, settings).start();
    }
}
