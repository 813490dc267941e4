package hv.tools;

import java.util.Locale;

/** Parses sizes such as {@code 512M}, {@code 2G}, {@code 65536K} or a plain byte count. */
final class MemorySize {
    private MemorySize() {
    }

    static long parse(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long shift = 0;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
            if (shift != 0) {
                t = t.substring(0, t.length() - 1);
            }
        }
        long value;
        try {
            value = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new UserError(option + " " + text + ": not a size (use e.g. 512M or 2G)");
        }
        if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
            throw new UserError(option + " " + text + ": size out of range");
        }
        return value << shift;
    }
}
