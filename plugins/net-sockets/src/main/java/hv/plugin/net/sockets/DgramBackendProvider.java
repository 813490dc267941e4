package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.OptionSpec;
import hv.api.net.FrameSink;
import hv.api.net.NetworkBackend;
import hv.api.net.NetworkBackendProvider;

import java.util.List;

/** {@code dgram}: UDP, one frame per datagram (QEMU -netdev dgram). */
public final class DgramBackendProvider implements NetworkBackendProvider {

    /** The largest UDP payload over IPv4; a bigger max-frame could never arrive. */
    private static final int MAX_UDP_PAYLOAD = 65507;

    @Override
    public String type() {
        return "dgram";
    }

    @Override
    public String description() {
        return "UDP link, one frame per datagram (QEMU -netdev dgram); local=HOST:PORT,remote=HOST:PORT";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.required("local", "HOST:PORT to bind (host defaults to loopback)"),
                OptionSpec.required("remote", "HOST:PORT of the peer; datagrams from anywhere else are dropped"),
                StreamBackendProvider.MAX_FRAME, StreamBackendProvider.TX_BUDGET);
    }

    @Override
    public NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException {
        options.checkKnown(options());
        int maxFrame = Math.min(FrameLimits.maxFrame(type(), options), MAX_UDP_PAYLOAD);
        long budget = options.number("tx-budget", StreamSettings.DEFAULT_TX_BUDGET);
        if (budget < maxFrame || budget > (256L << 20)) {
            throw new DeviceConfigException("dgram: tx-budget must be max-frame .. 256 MiB bytes, not " + budget);
        }
        String local = options.require("local");
        String remote = options.require("remote");
        var localAddr = OptionAddress.resolve(type(), "local", local);
        var remoteAddr = OptionAddress.resolve(type(), "remote", remote);
        return new DgramBackend("dgram(local=" + local + ",remote=" + remote + ")", localAddr, remoteAddr, sink, maxFrame, budget);
    }
}
