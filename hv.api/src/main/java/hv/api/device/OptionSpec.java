package hv.api.device;

/** One {@code key=value} option a device accepts, for validation and for {@code ./hv devices}. */
public record OptionSpec(String key, String description, boolean required) {

    public static OptionSpec optional(String key, String description) {
        return new OptionSpec(key, description, false);
    }

    public static OptionSpec required(String key, String description) {
        return new OptionSpec(key, description, true);
    }
}
