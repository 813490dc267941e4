package hv.api.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;

/** A factory for one kind of backend ({@code stream}, {@code dgram}, {@code switch}), found by ServiceLoader. */
public interface NetworkBackendProvider {

    String type();

    String description();

    /** Opens the backend; it starts delivering frames to {@code sink} once {@link NetworkBackend} is returned. */
    NetworkBackend open(DeviceOptions options, FrameSink sink) throws DeviceConfigException;
}
