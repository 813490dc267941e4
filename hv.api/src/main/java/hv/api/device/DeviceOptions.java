package hv.api.device;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code key=value} options of one device, as given on the command line
 * ({@code --device virtio-blk,file=disk.img,readonly=on}). Typed getters fail with a
 * {@link DeviceConfigException} that names the device, the key and the bad value.
 */
public final class DeviceOptions {
    private final String deviceType;
    private final Map<String, String> values;

    public DeviceOptions(String deviceType, Map<String, String> values) {
        this.deviceType = deviceType;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses {@code type,key=value,key=value}; a bare {@code key} means {@code key=on}. */
    public static DeviceOptions parse(String spec) throws DeviceConfigException {
        String[] parts = spec.split(",", -1);
        String type = parts[0].trim();
        if (type.isEmpty()) {
            throw new DeviceConfigException("device spec '" + spec + "' has no device type");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new DeviceConfigException(type + ": empty option in '" + spec + "'");
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "on" : part.substring(eq + 1);
            if (map.put(key, value) != null) {
                throw new DeviceConfigException(type + ": option '" + key + "' given twice");
            }
        }
        return new DeviceOptions(type, map);
    }

    public String deviceType() {
        return deviceType;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String require(String key) throws DeviceConfigException {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw new DeviceConfigException(deviceType + ": option '" + key + "' is required");
        }
        return v;
    }

    public boolean flag(String key, boolean defaultValue) throws DeviceConfigException {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new DeviceConfigException(deviceType + ": option '" + key + "' must be on or off, not '" + v + "'");
        };
    }

    public long number(String key, long defaultValue) throws DeviceConfigException {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new DeviceConfigException(deviceType + ": option '" + key + "' must be a number, not '" + v + "'");
        }
    }

    /** Refuses keys the device does not declare (unless it declares {@link OptionSpec#anyOther}). */
    public void checkKnown(List<OptionSpec> specs) throws DeviceConfigException {
        boolean open = specs.stream().anyMatch(s -> s.key().equals(OptionSpec.ANY_OTHER));
        for (String key : values.keySet()) {
            if (!open && specs.stream().noneMatch(s -> s.key().equals(key))) {
                throw new DeviceConfigException(deviceType + ": unknown option '" + key + "'");
            }
        }
        for (OptionSpec spec : specs) {
            if (spec.required() && !values.containsKey(spec.key())) {
                throw new DeviceConfigException(deviceType + ": option '" + spec.key() + "' is required");
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(deviceType);
        values.forEach((k, v) -> sb.append(',').append(k).append('=').append(v));
        return sb.toString();
    }
}
