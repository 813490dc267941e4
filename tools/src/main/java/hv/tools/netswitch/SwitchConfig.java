package hv.tools.netswitch;

import hv.api.config.HostPort;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * How a switch is set up.
 *
 * @param listen          where ports connect (loopback unless the user writes another address)
 * @param ageingNanos     how long a learned address stays without traffic from it (802.1D default: 300 s)
 * @param maxMacs         forwarding-table capacity; beyond it new addresses are flooded, not learned
 * @param maxPorts        connections accepted at once; more are refused
 * @param maxFrame        largest Ethernet frame forwarded
 * @param portBufferBytes per-port outbound high-water mark; a port above it has frames dropped
 */
public record SwitchConfig(InetSocketAddress listen, long ageingNanos, int maxMacs, int maxPorts, int maxFrame, int portBufferBytes) {

    public static final int DEFAULT_PORT = 7890;
    public static final long DEFAULT_AGEING_SECONDS = 300;
    public static final int DEFAULT_MAX_MACS = 8192;
    public static final int DEFAULT_MAX_PORTS = 64;
    public static final int DEFAULT_MAX_FRAME = 65535 + 14;
    public static final int DEFAULT_PORT_BUFFER = 256 * 1024;

    public SwitchConfig {
        if (ageingNanos <= 0) {
            throw new IllegalArgumentException("ageing time must be positive");
        }
        if (maxMacs < 1 || maxMacs > (1 << 20)) {
            throw new IllegalArgumentException("--max-macs must be 1..1048576");
        }
        if (maxPorts < 1 || maxPorts > 4096) {
            throw new IllegalArgumentException("--max-ports must be 1..4096");
        }
        if (maxFrame < 64 || maxFrame > PortFrameHandler.MAX_SANE_LENGTH) {
            throw new IllegalArgumentException("--max-frame must be 64.." + PortFrameHandler.MAX_SANE_LENGTH);
        }
        if (portBufferBytes < maxFrame + 4 || portBufferBytes > (64 << 20)) {
            throw new IllegalArgumentException("--port-buffer must be max-frame+4 .. 64 MiB");
        }
    }

    public static SwitchConfig defaults(InetSocketAddress listen) {
        return new SwitchConfig(listen, TimeUnit.SECONDS.toNanos(DEFAULT_AGEING_SECONDS), DEFAULT_MAX_MACS, DEFAULT_MAX_PORTS,
                DEFAULT_MAX_FRAME, DEFAULT_PORT_BUFFER);
    }

    /**
     * Parses {@code HOST:PORT}, {@code [v6]:PORT}, {@code :PORT} or {@code PORT}; no host means
     * loopback, so the switch is never reachable from the network unless asked.
     */
    public static InetSocketAddress parseAddress(String value) {
        try {
            return HostPort.parse(value).resolve();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("'" + value + "': unknown host");
        }
    }
}
