package hv.cpu.diff;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The external tools of the differential test: Debian's riscv64 cross compiler (assembles and links
 * the program), qemu-riscv64 from qemu-user (the reference) and the cross objdump (disassembly in
 * reports). A missing tool fails the test with the Debian package to install: CI must never
 * silently skip the comparison.
 */
final class Toolchain {
    static final String CC = "riscv64-linux-gnu-gcc", QEMU = "qemu-riscv64", OBJDUMP = "riscv64-linux-gnu-objdump";
    /** The ISA both sides run: RV64GC plus the bit-manipulation subsets HV implements. */
    static final String MARCH = "rv64gc_zba_zbb_zbs";

    final Path cc, qemu, objdump, workDir;

    private Toolchain(Path cc, Path qemu, Path objdump, Path workDir) {
        this.cc = cc;
        this.qemu = qemu;
        this.objdump = objdump;
        this.workDir = workDir;
    }

    /** Finds the tools (failing the test, naming the package, if one is missing) and makes the work directory. */
    static Toolchain find() throws IOException {
        Path cc = onPath(CC, "gcc-riscv64-linux-gnu");
        Path qemu = onPath(QEMU, "qemu-user");
        Path objdump = onPath(OBJDUMP, "binutils-riscv64-linux-gnu");
        Path dir = moduleDir().resolve("target/cpu-diff");
        Files.createDirectories(dir);
        return new Toolchain(cc, qemu, objdump, dir);
    }

    static Path onPath(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return fail("hv.cpu.diff: " + tool + " not found on PATH: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + "); scripts/setup-host.sh installs it");
    }

    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        Path p = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
        if (!Files.isDirectory(p.resolve("src/test/java/hv/cpu")) && Files.isDirectory(p.resolve("hv.cpu"))) {
            p = p.resolve("hv.cpu");
        }
        return p;
    }

    /** Assembles and links {@code source} into workDir/name.elf (a static Linux ELF, .text at {@link ProgramSource#TEXT}). */
    Path build(String name, String source) throws IOException, InterruptedException {
        Path src = workDir.resolve(name + ".S");
        Path elf = workDir.resolve(name + ".elf");
        Files.writeString(src, source);
        Files.deleteIfExists(elf);
        Result r = exec(List.of(cc.toString(), "-nostdlib", "-static", "-march=" + MARCH, "-mabi=lp64d", "-Wl,--no-relax",
                "-Wl,-Ttext-segment=0x" + Long.toHexString(ProgramSource.TEXT), "-Wl,--build-id=none", "-o", elf.toString(),
                src.toString()), null, 120);
        if (r.status != 0) {
            fail(CC + " rejected the generated program " + src + " (a generator bug):\n" + r.text());
        }
        return elf;
    }

    /** Deletes a program's files (source, ELF, qemu output) once nothing in it needs looking at. */
    void discard(Path elf) throws IOException {
        String name = elf.getFileName().toString().replaceFirst("\\.elf$", "");
        Files.deleteIfExists(workDir.resolve(name + ".S"));
        Files.deleteIfExists(elf);
        Files.deleteIfExists(workDir.resolve(elf.getFileName() + ".qemu.out"));
    }

    /** Runs the ELF under qemu-riscv64; stdout is returned as bytes. */
    Result runQemu(Path elf) throws IOException, InterruptedException {
        Path out = workDir.resolve(elf.getFileName() + ".qemu.out");
        Result r = exec(List.of(qemu.toString(), elf.toString()), out, 120);
        return new Result(r.status, Files.readAllBytes(out), r.stderr);
    }

    /** objdump -d of [from, to). */
    String disassemble(Path elf, long from, long to) throws IOException, InterruptedException {
        Result r = exec(List.of(objdump.toString(), "-d", "--no-show-raw-insn", "-M", "no-aliases",
                "--start-address=0x" + Long.toHexString(from), "--stop-address=0x" + Long.toHexString(to), elf.toString()),
                null, 60);
        StringBuilder s = new StringBuilder();
        for (String line : r.text().split("\n")) {
            if (line.matches("\\s+[0-9a-f]+:\\s.*")) {
                s.append(line.stripTrailing()).append('\n');
            }
        }
        return s.toString();
    }

    record Result(int status, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8) + stderr;
        }
    }

    private static Result exec(List<String> cmd, Path stdoutFile, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path err = Files.createTempFile("cpudiff", ".err");
        Path out = stdoutFile != null ? stdoutFile : Files.createTempFile("cpudiff", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(cmd.get(0) + " did not finish within " + timeoutSeconds + " s: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), stdoutFile != null ? new byte[0] : Files.readAllBytes(out),
                    Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
            if (stdoutFile == null) {
                Files.deleteIfExists(out);
            }
        }
    }
}
