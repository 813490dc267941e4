package hv.api.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;

/** A factory for one kind of backend ({@code stream}, {@code dgram}, {@code switch}), found by ServiceLoader. */
public interface NetworkBackendProvider {

    String type();

    String description();

    /**
     * The {@code key=value} options {@link #open} accepts. A NIC frontend passes the options it
     * does not know itself on to its backend, and uses this list to refuse unknown keys before
     * the VM starts.
     */
    default java.util.List<hv.api.device.OptionSpec> options() {
        return java.util.List.of();
    }

    /** Opens the backend; it starts delivering frames to {@code sink} once {@link NetworkBackend} is returned. */
    NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException;
}
