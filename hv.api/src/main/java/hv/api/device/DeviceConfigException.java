package hv.api.device;

/** A device cannot be created as asked. The message is shown to the user as one line. */
public class DeviceConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeviceConfigException(String message) {
        super(message);
    }

    public DeviceConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
