package hv.procvm.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysroot rule: the guest's root is the sysroot, and no path or link leaves it. */
class FileSystemViewTest {

    @Test
    void absolutePathsAreReRootedAndDotDotStopsAtTheRoot(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "guest");
        FileSystemView fs = new FileSystemView(root);
        Path real = root.toRealPath();
        assertEquals(real.resolve("etc/passwd"), fs.resolve("/", "/etc/passwd", true).host());
        assertEquals(real.resolve("etc/passwd"), fs.resolve("/etc", "../../../../etc/passwd", true).host());
        assertEquals("/etc/passwd", fs.resolve("/", "/../etc/./passwd", true).guestPath());
        assertEquals(real.resolve("etc/passwd"), fs.resolve("/etc", "passwd", true).host(), "relative to the cwd");
    }

    @Test
    void symlinksCannotEscape(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(tmp.resolve("secret"), "host file");
        Files.createDirectories(root.resolve("dir"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/dir"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../secret"));
        Files.createSymbolicLink(root.resolve("hostabs"), tmp.resolve("secret"));
        FileSystemView fs = new FileSystemView(root);
        Path real = root.toRealPath();
        assertEquals(real.resolve("dir"), fs.resolve("/", "/abs", true).host(), "absolute targets are re-rooted");
        assertEquals(real.resolve("secret"), fs.resolve("/", "/up", true).host(), "'..' in a target stays inside");
        assertEquals(real.resolve(tmp.resolve("secret").toString().substring(1)), fs.resolve("/", "/hostabs", true).host(),
                "an absolute link to a host path names that path inside the sysroot");
        assertEquals(real.resolve("up"), fs.resolve("/", "/up", false).host(), "lstat does not follow");
    }

    @Test
    void loopsAndFilesUsedAsDirectoriesFail(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        Files.writeString(root.resolve("file"), "x");
        FileSystemView fs = new FileSystemView(root);
        assertEquals(Errno.ELOOP, assertThrows(ErrnoException.class, () -> fs.resolve("/", "/a", true)).errno());
        assertEquals(Errno.ENOTDIR, assertThrows(ErrnoException.class, () -> fs.resolve("/", "/file/x", true)).errno());
        assertEquals(Errno.ENOENT, assertThrows(ErrnoException.class, () -> fs.resolve("/", "", true)).errno());
    }

    @Test
    void withoutASysrootTheHostIsVisibleAsIs(@TempDir Path tmp) throws IOException, ErrnoException {
        FileSystemView fs = new FileSystemView(null);
        assertEquals(tmp.resolve("x"), fs.resolve(tmp.toString(), "x", true).host());
        assertEquals(Path.of("/etc/hostname"), fs.resolve("/tmp", "/etc/hostname", true).host());
    }
}
