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
 * instruction comes back by itself. HV itself must pass every probe (DifferTest), so an instruction
 * left out of the random blocks is still checked against the specification.
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

    /** The probe program: each probe's a0 in turn, written to stdout as 8-byte words. */
    static String source() {
        StringBuilder s = new StringBuilder("\t.option norelax\n\t.text\n\t.globl _start\n_start:\nfinish:\n\tlla s0, results\n");
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
        return s.toString();
    }

    /** Probe -> what an emulator computed, given the probe program's stdout. */
    static long[] results(byte[] stdout) {
        if (stdout.length != 8 * PROBES.size()) {
            throw new IllegalStateException("the reference probe wrote " + stdout.length + " bytes, not " + 8 * PROBES.size());
        }
        ByteBuffer b = ByteBuffer.wrap(stdout).order(ByteOrder.LITTLE_ENDIAN);
        long[] r = new long[PROBES.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = b.getLong(8 * i);
        }
        return r;
    }

    /** Mnemonic -> why the reference cannot be trusted with it (empty when the reference passes every probe). */
    static Map<String, String> detect(Toolchain tools) throws Exception {
        Toolchain.Result r = tools.runQemu(tools.build("reference-probe", source()));
        if (r.status() != 0) {
            throw new IllegalStateException("qemu-riscv64 failed the reference probe (status " + r.status() + "): "
                    + r.stderr());
        }
        long[] got = results(r.stdout());
        Map<String, String> quirks = new TreeMap<>();
        for (int i = 0; i < PROBES.size(); i++) {
            Probe p = PROBES.get(i);
            if (got[i] != p.expected()) {
                quirks.put(p.mnemonic(), p.spec() + ", but qemu-riscv64 gives " + got[i] + " for `"
                        + String.join("; ", p.setup()) + "; " + p.insn() + "`");
            }
        }
        return quirks;
    }
}
