package hv.devices.fdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a RISC-V ISA string ({@code rv64imafdc_zicsr_...}) into the base and the extension
 * list the newer device-tree binding wants ({@code riscv,isa-base = "rv64i"},
 * {@code riscv,isa-extensions = "i", "m", ..., "zicsr", ...}; Linux
 * Documentation/devicetree/bindings/riscv/extensions.yaml).
 */
record IsaString(String base, List<String> extensions) {

    static IsaString parse(String isa) {
        String s = isa.toLowerCase(Locale.ROOT);
        if (!s.startsWith("rv32") && !s.startsWith("rv64")) {
            throw new IllegalArgumentException("ISA string must start with rv32 or rv64: " + isa);
        }
        String[] parts = s.split("_");
        String single = parts[0].substring(4);
        if (single.isEmpty() || "ieg".indexOf(single.charAt(0)) < 0) {
            throw new IllegalArgumentException("ISA string must name the base (i, e or g) first: " + isa);
        }
        List<String> ext = new ArrayList<>();
        for (char c : single.toCharArray()) {
            if (c == 'g') {
                for (String g : List.of("i", "m", "a", "f", "d", "zicsr", "zifencei")) {
                    if (!ext.contains(g)) {
                        ext.add(g);
                    }
                }
            } else if (c >= 'a' && c <= 'z') {
                ext.add(String.valueOf(c));
            } else {
                throw new IllegalArgumentException("bad single-letter extension '" + c + "' in " + isa);
            }
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw new IllegalArgumentException("empty extension in " + isa);
            }
            if (!ext.contains(parts[i])) {
                ext.add(parts[i]);
            }
        }
        return new IsaString(s.substring(0, 4) + (single.charAt(0) == 'e' ? 'e' : 'i'), List.copyOf(ext));
    }
}
