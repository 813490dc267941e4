package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.OptionSpec;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.api.net.NetworkBackendProvider;

import java.util.List;

/**
 * {@code switch}: a port of {@code hv switch}. The switch speaks the stream framing, so this is
 * the connecting stream backend under its own name (and with {@code connect} required).
 */
public final class SwitchBackendProvider implements NetworkBackendProvider {

    @Override
    public String type() {
        return "switch";
    }

    @Override
    public String description() {
        return "a port of `hv switch` (stream framing); connect=HOST:PORT";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.required("connect", "the switch's HOST:PORT (host defaults to loopback)"),
                StreamBackendProvider.MAX_FRAME, StreamBackendProvider.TX_BUDGET, StreamBackendProvider.BACKOFF_MAX);
    }

    @Override
    public NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException {
        options.checkKnown(options());
        StreamSettings settings = StreamSettings.from(type(), options);
        String connect = options.require("connect");
        var remote = OptionAddress.resolve(type(), "connect", connect);
        return new ConnectingStreamBackend("switch(" + connect + ")", remote, sink, settings).start();
    }
}
