package hv.procvm.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * How guest paths reach host files. The rule (also in the package documentation):
 *
 * <ul>
 *   <li><b>Without a sysroot</b> the host file system is visible as is, as under qemu-user: a guest
 *       path names the same host path (relative paths resolve against the guest's cwd, which
 *       starts as HV's own working directory or --cwd).</li>
 *   <li><b>With a sysroot</b> the sysroot is the guest's root directory, as after chroot(2): an
 *       absolute path is re-rooted at the sysroot, ".." at the root stays at the root, and HV
 *       resolves every symbolic link itself, component by component, re-rooting absolute link
 *       targets, so no path or link can name a file outside the sysroot. The cwd is a guest path
 *       inside it.</li>
 * </ul>
 * In both modes a few names are HV's own (see the kernel's special files): /proc/self/exe and,
 * under a sysroot, the character devices of /dev.
 */
public final class FileSystemView {
    /** Linux's MAXSYMLINKS. */
    static final int MAX_SYMLINKS = 40;
    /** PATH_MAX. */
    public static final int PATH_MAX = 4096;

    /** A resolved path: its canonical guest name and the host file it denotes. */
    public record Resolved(String guestPath, Path host) {
    }

    private final Path sysroot;

    /** @param sysroot the guest's root directory on the host, or null for the host's own file system */
    public FileSystemView(Path sysroot) throws IOException {
        this.sysroot = sysroot == null ? null : sysroot.toRealPath();
    }

    public Path sysroot() {
        return sysroot;
    }

    public boolean jailed() {
        return sysroot != null;
    }

    /** Joins a guest path to a base directory (guest path) lexically, without touching the host. */
    public static String absolute(String baseDir, String path) {
        return path.startsWith("/") ? path : (baseDir.endsWith("/") ? baseDir + path : baseDir + "/" + path);
    }

    /** Lexical normalization: removes "." and empty components and applies ".." (never above /). */
    public static String normalize(String absPath) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : absPath.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    /**
     * Resolves a guest path (relative ones against {@code baseDir}, a guest directory path).
     * {@code followLast} false leaves a final symbolic link unresolved (lstat, readlink, unlink...).
     */
    public Resolved resolve(String baseDir, String path, boolean followLast) throws ErrnoException {
        if (path.isEmpty()) {
            throw new ErrnoException(Errno.ENOENT);
        }
        if (path.length() >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
        if (path.indexOf('\0') >= 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        String abs = absolute(baseDir, path);
        try {
            if (sysroot == null) {
                // The host resolves links and ".." itself; keep the host path as the guest gave it
                // (a trailing slash matters: "file/" must fail with ENOTDIR).
                return new Resolved(normalize(abs), Path.of(abs));
            }
            return walk(abs, followLast, path.endsWith("/"));
        } catch (InvalidPathException e) {
            throw new ErrnoException(Errno.ENOENT);
        }
    }

    private Resolved walk(String abs, boolean followLast, boolean trailingSlash) throws ErrnoException {
        Deque<String> todo = new ArrayDeque<>();
        for (String c : abs.split("/")) {
            if (!c.isEmpty()) {
                todo.addLast(c);
            }
        }
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            boolean last = todo.isEmpty();
            Path candidate = hostOf(done, c);
            if ((!last || followLast || trailingSlash) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_SYMLINKS) {
                    throw new ErrnoException(Errno.ELOOP);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(candidate).toString();
                } catch (IOException e) {
                    throw new ErrnoException(Errno.of(e));
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    if (!parts[i].isEmpty()) {
                        todo.addFirst(parts[i]);
                    }
                }
                continue;
            }
            if (!last && Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new ErrnoException(Errno.ENOTDIR);
            }
            done.add(c);
        }
        Path host = sysroot;
        for (String c : done) {
            host = host.resolve(c);
        }
        if (trailingSlash && Files.exists(host) && !Files.isDirectory(host)) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        return new Resolved("/" + String.join("/", done), host);
    }

    private Path hostOf(List<String> done, String c) {
        Path p = sysroot;
        for (String d : done) {
            p = p.resolve(d);
        }
        return p.resolve(c);
    }

    /** The host path of the directory ".." names inside a guest directory (the root's parent is the root). */
    public Path parentOf(Resolved dir) {
        if (sysroot != null && dir.guestPath().equals("/")) {
            return sysroot;
        }
        Path parent = dir.host().getParent();
        return parent == null ? dir.host() : parent;
    }

    /** The guest cwd for a host directory given on the command line (--cwd, or HV's own cwd). */
    public String guestPathOfHost(Path hostDir) throws IOException {
        Path real = hostDir.toRealPath();
        if (sysroot == null) {
            return real.toString();
        }
        if (!real.startsWith(sysroot)) {
            return "/";
        }
        return "/" + sysroot.relativize(real).toString().replace('\\', '/');
    }
}
