package hv.plugin.net.sockets;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;

/** The options every stream-framed backend shares. */
record StreamSettings(int maxFrame, long txBudgetBytes, long backoffInitialMillis, long backoffMaxMillis) {

    static final long DEFAULT_TX_BUDGET = 1 << 20;
    static final long DEFAULT_BACKOFF_MAX_MS = 5_000;
    static final long BACKOFF_INITIAL_MS = 100;

    static StreamSettings from(String backend, DeviceOptions options) throws DeviceConfigException {
        int maxFrame = FrameLimits.maxFrame(backend, options);
        long budget = options.number("tx-budget", DEFAULT_TX_BUDGET);
        if (budget < maxFrame + 4L || budget > (256L << 20)) {
            throw new DeviceConfigException(backend + ": tx-budget must be max-frame+4 .. 256 MiB bytes, not " + budget);
        }
        long backoffMax = options.number("backoff-max", DEFAULT_BACKOFF_MAX_MS);
        if (backoffMax < 1 || backoffMax > 600_000) {
            throw new DeviceConfigException(backend + ": backoff-max must be 1..600000 ms, not " + backoffMax);
        }
        return new StreamSettings(maxFrame, budget, Math.min(BACKOFF_INITIAL_MS, backoffMax), backoffMax);
    }
}
