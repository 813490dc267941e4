package hv.procvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A scratch directory inside the sysroot's /tmp: its host path, and the guest path that names it. */
final class SysrootDir implements AutoCloseable {
    final Path sysroot;
    final Path host;
    final String guest;

    SysrootDir() {
        this.sysroot = TestTools.sysroot();
        String name = "hv-test-" + UUID.randomUUID().toString().substring(0, 8);
        this.host = sysroot.resolve("tmp").resolve(name);
        this.guest = "/tmp/" + name;
        try {
            Files.createDirectories(host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path file(String name) {
        return host.resolve(name);
    }

    /** Runs a program of the sysroot (guest path) with this directory as the working directory. */
    TestTools.Result run(String program, String... args) {
        return TestTools.hv(sysroot, guest, java.util.Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C"), null, program, args);
    }

    /** busybox sh -c SCRIPT. */
    TestTools.Result sh(String script) {
        return run("/usr/bin/busybox", "sh", "-c", script);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(host)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
