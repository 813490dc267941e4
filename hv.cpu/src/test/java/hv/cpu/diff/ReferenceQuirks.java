package hv.cpu.diff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Known bugs of the reference. The installed qemu-riscv64 is probed once per run with a few
 * known-answer programs (expected values from the RISC-V specification, not from HV); an instruction
 * the reference gets wrong is left out of the random blocks, with the reason logged, so a reference
 * bug is never reported as an HV bug. When Debian's QEMU is fixed the probe passes and the
 * instruction comes back by itself.
 */
final class ReferenceQuirks {
    /**
     * One probe: {@code setup} lines, then {@code insn} writing a0, whose value per the spec is {@code expected}.
     */
    record Probe(String mnemonic, List<String> setup, String insn, long expected, String spec) {
    }

    static final List<Probe> PROBES = List.of(
            // Zbb ctzw: "counts the number of 0 bits at the LSB end of the least-significant word";
            // a zero word gives 32. QEMU 7.2 counts over all 64 bits (returns 40 here).
            new Probe("ctzw", List.of("li t0, 0x10000000000"), "ctzw a0, t0", 32,
                    "Zbb ctzw of a value whose low word is 0 is 32"),
            new Probe("clzw", List.of("li t0, 0xffffffff00000000"), "clzw a0, t0", 32,
                    "Zbb clzw of a value whose low word is 0 is 32"),
            new Probe("cpopw", List.of("li t0, 0xffffffff00000001"), "cpopw a0, t0", 1,
                    "Zbb cpopw counts the low word only"));

    private ReferenceQuirks() {
    }

    /** Mnemonic -> why the reference cannot be trusted with it (empty when the reference passes every probe). */
    static Map<String, String> detect(Toolchain tools) throws Exception {
        StringBuilder s = new StringBuilder("\t.option norelax\n\t.text\n\t.globl _start\n_start:\n\tlla s0, results\n");
        for (int i = 0; i < PROBES.size(); i++) {
            Probe p = PROBES.get(i);
            for (String line : p.setup()) {
                s.append('\t').append(line).append('\n');
            }
            s.append('\t').append(p.insn()).append("\n\tsd a0, ").append(8 * i).append("(s0)\n");
        }
        s.append("\tli a7, 64\n\tli a0, 1\n\tmv a1, s0\n\tli a2, ").append(8 * PROBES.size()).append('\n');
        s.append("\tecall\n\tli a7, 93\n\tli a0, 0\n\tecall\n\t.data\n\t.balign 8\nresults:\n\t.zero ")
                .append(8 * PROBES.size()).append('\n');
        Toolchain.Result r = tools.runQemu(tools.build("reference-probe", s.toString()));
        if (r.status() != 0 || r.stdout().length != 8 * PROBES.size()) {
            throw new IllegalStateException("qemu-riscv64 failed the reference probe (status " + r.status() + "): "
                    + r.stderr());
        }
        ByteBuffer b = ByteBuffer.wrap(r.stdout()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, String> quirks = new TreeMap<>();
        for (int i = 0; i < PROBES.size(); i++) {
            Probe p = PROBES.get(i);
            long got = b.getLong(8 * i);
            if (got != p.expected()) {
                quirks.put(p.mnemonic(), p.spec() + ", but qemu-riscv64 gives " + got + " for `" + String.join("; ", p.setup())
                        + "; " + p.insn() + "`");
            }
        }
        return quirks;
    }
}
