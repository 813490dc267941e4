package hv.cpu.fp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Differential test against real RISC-V semantics: the oracle program src/test/c/fporacle.c
 * is cross-compiled for riscv64 and run under qemu-riscv64 over a seeded corpus of operations
 * in all five rounding modes; every result's bits and fflags must equal HV's.
 *
 * <p>{@code -Dhv.fp.seed=N} replays a run, {@code -Dhv.fp.cases=N} sets the corpus size.
 * The toolchain is required: a missing compiler or emulator fails the test naming the Debian
 * package to install.
 */
class FpDifferentialTest {
    private static final String CC = "riscv64-linux-gnu-gcc";
    private static final String QEMU = "qemu-riscv64";

    record Case(String op, int rm, long a, long b, long c) {
        String line() {
            return String.format("%s %d %x %x %x", op, rm, a, b, c);
        }
    }

    static final long ANCHOR_SEED = Long.getLong("hv.fp.anchorSeed", 20261121L);
    static final int ANCHOR_CASES = 60_000;

    @Test
    void matchesRiscvOnRandomCorpus() throws Exception {
        long seed = Long.getLong("hv.fp.seed", System.nanoTime());
        int count = Integer.getInteger("hv.fp.cases", 60_000);
        System.err.println("FpDifferentialTest: seed " + seed + " (replay with -Dhv.fp.seed=" + seed + "), " + count + " cases");

        Path oracle = buildOracle();
        // A fixed-seed part known to reach every flag of every operation (so the coverage check
        // below cannot fail by chance), plus the run's own random part, which explores further.
        List<Case> cases = new ArrayList<>(corpus(ANCHOR_SEED, ANCHOR_CASES));
        cases.addAll(corpus(seed, count));
        List<String> expected = runOracle(oracle, cases);
        assertEquals(cases.size(), expected.size(), "oracle output lines");

        assertCorpusReachesEveryFlag(cases, expected);

        List<String> failures = new ArrayList<>();
        int mismatches = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case k = cases.get(i);
            FpFlags fl = new FpFlags();
            long r = FpOps.BY_NAME.get(k.op).op().apply(k.a, k.b, k.c, k.rm, fl);
            String ours = String.format("%016x %02x", r, fl.bits);
            if (!ours.equals(expected.get(i))) {
                mismatches++;
                if (failures.size() < 25) {
                    failures.add(k.line() + "  -> HV " + ours + "  RISC-V " + expected.get(i));
                }
            }
        }
        if (mismatches > 0) {
            fail("seed " + seed + ": " + mismatches + " of " + cases.size()
                    + " cases differ from RISC-V (op rm a b c -> result flags):\n  "
                    + String.join("\n  ", failures));
        }
    }

    /**
     * Guards the corpus itself: a generator that stopped producing overflows, tiny results or
     * invalid operations would let this test pass while checking nothing hard.
     */
    private static void assertCorpusReachesEveryFlag(List<Case> cases, List<String> expected) {
        java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < cases.size(); i++) {
            int flags = Integer.parseInt(expected.get(i).substring(17), 16);
            seen.merge(cases.get(i).op(), flags, (x, y) -> x | y);
        }
        List<String> missing = new ArrayList<>();
        for (String op : List.of("add", "sub", "mul", "div", "fmadd", "fmsub", "fnmsub", "fnmadd")) {
            for (String fmt : List.of("d.", "s.")) {
                // a tiny sum or difference is always exact, so add/sub can never underflow
                boolean sum = op.equals("add") || op.equals("sub");
                int want = FpFlags.NX | FpFlags.OF | FpFlags.NV | (sum ? 0 : FpFlags.UF)
                        | (op.equals("div") ? FpFlags.DZ : 0);
                int got = seen.getOrDefault(fmt + op, 0);
                if ((got & want) != want) {
                    missing.add(fmt + op + " only reached flags " + new FpFlags(got));
                }
            }
        }
        for (String op : List.of("d.to.s", "d.cvt.w", "s.cvt.wu", "d.cvt.lu", "s.cvt.l")) {
            if ((seen.getOrDefault(op, 0) & (FpFlags.NX | FpFlags.NV)) != (FpFlags.NX | FpFlags.NV)) {
                missing.add(op + " only reached flags " + new FpFlags(seen.getOrDefault(op, 0)));
            }
        }
        if (cases.size() >= 10_000 && !missing.isEmpty()) {
            fail("corpus too weak: " + missing);
        }
    }

    static List<Case> corpus(long seed, int count) {
        FpCorpus g = new FpCorpus(seed);
        List<Case> out = new ArrayList<>(count);
        List<FpOps.Def> ops = FpOps.ALL;
        for (int i = 0; i < count; i++) {
            FpOps.Def def = ops.get(i % ops.size());
            long a;
            long b = 0;
            long c = 0;
            switch (def.shape()) {
                case D1 -> a = def.name().contains("cvt") ? g.dForInt() : g.d();
                case D2 -> {
                    a = g.d();
                    b = g.dRelated(a);
                }
                case D3 -> {
                    a = g.d();
                    b = g.dRelated(a);
                    c = g.dAddend(a, b);
                }
                case S1 -> a = (def.name().contains("cvt") ? g.sForInt() : g.s()) & 0xffff_ffffL;
                case S2 -> {
                    int x = g.s();
                    a = x & 0xffff_ffffL;
                    b = g.sRelated(x) & 0xffff_ffffL;
                }
                case S3 -> {
                    int x = g.s();
                    int y = g.sRelated(x);
                    a = x & 0xffff_ffffL;
                    b = y & 0xffff_ffffL;
                    c = g.sAddend(x, y) & 0xffff_ffffL;
                }
                default -> a = g.integer();
            }
            if (def.name().endsWith("sqrt") && (i / ops.size()) % 2 == 0) {
                a &= def.name().startsWith("d") ? ~Fp64.SIGN : 0x7fff_ffffL;  // mostly positive
            }
            out.add(new Case(def.name(), g.rm(), a, b, c));
        }
        return out;
    }

    // ---------------------------------------------------------------------------- toolchain

    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path p = Path.of(basedir != null ? basedir : System.getProperty("user.dir"));
        if (!Files.isDirectory(p.resolve("src/test/c")) && Files.isDirectory(p.resolve("hv.cpu/src/test/c"))) {
            p = p.resolve("hv.cpu");
        }
        return p;
    }

    private static Path onPath(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail(tool + " not found on PATH: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + ")");
    }

    /** Cross-compiles the oracle unless an up-to-date binary exists in target/. */
    static Path buildOracle() throws IOException, InterruptedException {
        Path module = moduleDir();
        Path source = module.resolve("src/test/c/fporacle.c");
        Path dir = module.resolve("target/fp-oracle");
        Path binary = dir.resolve("fporacle");
        onPath(QEMU, "qemu-user");
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Path cc = onPath(CC, "gcc-riscv64-linux-gnu");
        Files.createDirectories(dir);
        Path tmp = dir.resolve("fporacle.tmp");
        Process p = new ProcessBuilder(cc.toString(), "-static", "-O2", "-Wall", "-o", tmp.toString(), source.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(CC + " failed to build the FP oracle (a static build also needs the Debian package"
                    + " libc6-dev-riscv64-cross):\n" + log);
        }
        Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }

    static List<String> runOracle(Path oracle, List<Case> cases) throws IOException, InterruptedException {
        Path dir = oracle.getParent();
        Path in = Files.createTempFile(dir, "cases", ".txt");
        Path out = Files.createTempFile(dir, "results", ".txt");
        try {
            StringBuilder sb = new StringBuilder(cases.size() * 48);
            for (Case k : cases) {
                sb.append(k.line()).append('\n');
            }
            Files.writeString(in, sb);
            Process p = new ProcessBuilder(onPath(QEMU, "qemu-user").toString(), oracle.toString())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(QEMU + " did not finish the oracle run within 60 s");
            }
            if (p.exitValue() != 0) {
                fail(QEMU + " " + oracle + " exited with status " + p.exitValue());
            }
            List<String> lines = Files.readAllLines(out);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("ERROR")) {
                    fail("oracle rejected case " + cases.get(i).line() + ": " + lines.get(i));
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
