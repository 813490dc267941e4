package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import hv.cpu.elf.ElfFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Encoding differential test: single random instruction words (legal, reserved and illegal
 * encodings of the user-level opcode space, see {@link EncodingGenerator}) run by HV and by
 * qemu-riscv64 must have the same outcome (executes / illegal instruction / memory fault) and leave
 * the same registers, fcsr and scratch memory. This checks the decoder, which the block test (made
 * of assembler output only) cannot: reserved fields, invalid rounding modes, unused funct codes,
 * reserved RVC forms, the all-zero word.
 *
 * <p>{@code -Dhv.diff.encodings=N} (default 400) words, {@code -Dhv.diff.seed=S} as for the block test.
 */
class EncodingDifferentialTest {
    private static final String[] OUTCOME = {"executes", "illegal instruction", "memory fault", "other trap"};

    static List<EncodingProgram.Case> cases(long seed, int count) {
        EncodingGenerator words = new EncodingGenerator(seed);
        BlockGenerator values = new BlockGenerator(seed, Set.of());
        List<EncodingProgram.Case> cases = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            SplittableRandom r = new SplittableRandom(BlockGenerator.blockSeed(seed, 1_000_000 + k));
            Block b = values.generate(1_000_000 + k, 0);
            long[] x = b.x().clone();
            boolean[] pointer = new boolean[31];
            for (int i = 1; i <= 30; i++) {
                if (r.nextBoolean()) {
                    pointer[i] = true;
                    x[i] = r.nextInt(4) == 0 ? r.nextInt(-512, 513) : 8L * r.nextInt(-64, 65);
                } else if (x[i] >= 0x7fff_0000L && x[i] < 0x8110_0000L) {
                    x[i] ^= 1L << 62; // never an address the two emulators map differently
                }
            }
            long word = words.next();
            cases.add(new EncodingProgram.Case(k, (int) word, (int) (word >>> 32), x, pointer, b.f(), b.fcsr()));
        }
        return cases;
    }

    @Test
    void hvAndQemuAgreeOnRandomEncodings() throws Exception {
        long seed = Long.getLong("hv.diff.seed", System.nanoTime());
        int count = Integer.getInteger("hv.diff.encodings", 400);
        System.err.println("EncodingDifferentialTest: seed " + seed + " (replay with -Dhv.diff.seed=" + seed + "), "
                + count + " words");
        Toolchain tools = Toolchain.find();
        List<EncodingProgram.Case> cases = cases(seed, count);
        long[] scratch = new BlockGenerator(seed, Set.of()).generate(-1, 0).scratch();
        Path elf = tools.build("encodings-" + seed, EncodingProgram.render(cases, scratch));
        Toolchain.Result q = tools.runQemu(elf);
        if (q.status() != 0 || q.stdout().length != count * EncodingProgram.RECORD) {
            fail("qemu-riscv64 did not run the encoding program " + elf + " to its end (status " + q.status() + ", "
                    + q.stdout().length + " bytes): a generator bug\n" + q.stderr());
        }
        EncodingRunner.Outcome hv = EncodingRunner.run(elf, 50_000L * count + 1_000_000);
        assertEquals(null, hv.problem(), "HV's run of " + elf);
        assertEquals(count * EncodingProgram.RECORD, hv.stdout().length, "HV's dump size");

        int[] qemuOutcomes = new int[4];
        List<String> failures = new ArrayList<>();
        int failed = 0;
        Map<Long, String> disassembly = null;
        ElfFile e = ElfFile.read(elf);
        for (int k = 0; k < count; k++) {
            Record want = Record.of(q.stdout(), k);
            Record got = Record.of(hv.stdout(), k);
            qemuOutcomes[(int) Math.min(3, Math.max(0, want.outcome))]++;
            List<String> diffs = want.differences(got);
            if (diffs.isEmpty()) {
                continue;
            }
            failed++;
            if (failures.size() >= 30) {
                continue;
            }
            if (disassembly == null) {
                disassembly = disassemble(tools, elf, e, count);
            }
            EncodingProgram.Case c = cases.get(k);
            long at = e.symbol(EncodingProgram.insnLabel(k)).orElseThrow();
            String text = disassembly.getOrDefault(at, "?");
            StringBuilder s = new StringBuilder();
            s.append("word ").append(c.hex()).append(" `").append(text).append("`: ").append(String.join("; ", diffs));
            Set<String> named = registersIn(text);
            if (!named.isEmpty()) {
                s.append("\n      initially:");
                for (String reg : named) {
                    int xi = Reg.xIndex(reg);
                    if (xi > 0 && xi <= 30) {
                        s.append(' ').append(reg).append('=').append(c.pointer()[xi] ? "scratch" + signed(c.x()[xi])
                                : "0x" + Long.toHexString(c.x()[xi]));
                    } else if (xi == 31) {
                        s.append(' ').append(reg).append("=scratch");
                    } else if (xi < 0 && Reg.fIndex(reg) >= 0) {
                        long v = c.f()[Reg.fIndex(reg)];
                        s.append(' ').append(reg).append("=0x").append(Long.toHexString(v)).append(BlockState.fp(v));
                    }
                }
                s.append(" fcsr=0x").append(Long.toHexString(c.fcsr()));
            }
            failures.add(s.toString());
        }
        System.err.printf("EncodingDifferentialTest: qemu outcomes: %d execute, %d illegal, %d memory fault; %d differ%n",
                qemuOutcomes[0], qemuOutcomes[1], qemuOutcomes[2], failed);
        if (count >= 200) {
            // guards the generator: both legal and illegal words in quantity
            assertTrue(qemuOutcomes[0] > count / 5 && qemuOutcomes[1] > count / 10 && qemuOutcomes[2] > 0,
                    "unbalanced word mix: " + java.util.Arrays.toString(qemuOutcomes));
        }
        if (failed > 0) {
            String report = "hv.cpu.diff: HV and qemu-riscv64 disagree on " + failed + " of " + count
                    + " instruction words (seed " + seed + ", program " + elf.resolveSibling("encodings-" + seed + ".S")
                    + ")\n  " + String.join("\n  ", failures);
            System.err.println(report);
            fail(report);
        }
        tools.discard(elf);
    }

    private static String signed(long v) {
        return v < 0 ? "-" + -v : "+" + v;
    }

    private static Set<String> registersIn(String disassembly) {
        Set<String> regs = new LinkedHashSet<>();
        int sp = disassembly.indexOf(' ');
        if (sp < 0) {
            return regs;
        }
        for (String tok : disassembly.substring(sp + 1).split("[\\s,()]+")) {
            if ((Reg.xIndex(tok) > 0 || Reg.fIndex(tok) >= 0)) {
                regs.add(tok);
            }
        }
        return regs;
    }

    /** Address -> "mnemonic operands" of every test word. */
    private static Map<Long, String> disassemble(Toolchain tools, Path elf, ElfFile e, int count) throws Exception {
        Map<Long, String> m = new HashMap<>();
        long from = e.symbol("case_0").orElseThrow();
        long to = e.symbol("finish").orElseThrow();
        for (String line : tools.disassemble(elf, from, to).split("\n")) {
            String[] parts = line.strip().split(":\\s*", 2);
            if (parts.length == 2) {
                try {
                    m.put(Long.parseLong(parts[0], 16), parts[1].strip().replaceAll("\\s+", " "));
                } catch (NumberFormatException ignored) {
                    // not an instruction line
                }
            }
        }
        return m;
    }

    /** One case's record as stored by the program. */
    record Record(long[] x, long[] f, long fcsr, long outcome, long hash) {
        static Record of(byte[] dump, int k) {
            ByteBuffer b = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
            int base = k * EncodingProgram.RECORD;
            long[] x = new long[32];
            for (int i = 1; i < 32; i++) {
                x[i] = b.getLong(base + 8 * (i - 1));
            }
            long[] f = new long[32];
            for (int i = 0; i < 32; i++) {
                f[i] = b.getLong(base + EncodingProgram.F_OFF + 8 * i);
            }
            return new Record(x, f, b.getLong(base + EncodingProgram.FCSR), b.getLong(base + EncodingProgram.OUTCOME),
                    b.getLong(base + EncodingProgram.HASH));
        }

        List<String> differences(Record hv) {
            List<String> d = new ArrayList<>();
            if (outcome != hv.outcome) {
                d.add("qemu: " + name(outcome) + ", HV: " + name(hv.outcome));
            }
            for (int i = 1; i < 32; i++) {
                if (x[i] != hv.x[i]) {
                    d.add(String.format("%s qemu %x HV %x", Reg.x(i), x[i], hv.x[i]));
                }
            }
            for (int i = 0; i < 32; i++) {
                if (f[i] != hv.f[i]) {
                    d.add(String.format("%s qemu %x HV %x", Reg.f(i), f[i], hv.f[i]));
                }
            }
            if (fcsr != hv.fcsr) {
                d.add(String.format("fcsr qemu %x HV %x", fcsr, hv.fcsr));
            }
            if (hash != hv.hash) {
                d.add("scratch memory differs");
            }
            return d;
        }

        private static String name(long outcome) {
            return outcome >= 0 && outcome < OUTCOME.length ? OUTCOME[(int) outcome] : "outcome " + outcome;
        }
    }
}
