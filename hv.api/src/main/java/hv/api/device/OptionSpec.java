package hv.api.device;

/** One {@code key=value} option a device accepts, for validation and for {@code ./hv devices}. */
public record OptionSpec(String key, String description, boolean required) {

    /** The key of {@link #anyOther}. */
    public static final String ANY_OTHER = "*";

    public static OptionSpec optional(String key, String description) {
        return new OptionSpec(key, description, false);
    }

    public static OptionSpec required(String key, String description) {
        return new OptionSpec(key, description, true);
    }

    /**
     * Declares that keys not listed are accepted too, because the device validates them itself:
     * a NIC frontend, say, passes them on to the network backend it opens (whose
     * {@link hv.api.net.NetworkBackendProvider#options()} then refuses unknown ones).
     */
    public static OptionSpec anyOther(String description) {
        return new OptionSpec(ANY_OTHER, description, false);
    }
}
