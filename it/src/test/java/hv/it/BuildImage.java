package hv.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ModuleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The runnable image the launcher uses: {@code <root>/build/lib} (the host module layer) and
 * {@code <root>/build/plugins}. Before any launcher test, every HV module on this module's
 * class path (the reactor's fresh build) must be in the image with byte-identical classes;
 * otherwise the tests would exercise a stale launcher and pass or fail for the wrong reason.
 */
final class BuildImage {

    private static final Path ROOT = findRoot();
    private static volatile String staleness;
    private static volatile boolean checked;

    private BuildImage() {
    }

    static Path root() {
        return ROOT;
    }

    static Path lib() {
        return ROOT.resolve("build/lib");
    }

    static Path plugins() {
        return ROOT.resolve("build/plugins");
    }

    /** The hv.api jar of the image, to compile test plugins against. */
    static Path apiJar() {
        return ModuleFinder.of(lib()).find("hv.api").flatMap(ModuleReference::location).map(Path::of)
                .orElseThrow(() -> new IllegalStateException("no hv.api in " + lib()));
    }

    static synchronized void requireCurrent() {
        if (!checked) {
            staleness = compare();
            checked = true;
        }
        if (staleness != null) {
            fail(staleness + "\nThe launcher tests run the image dist lays out in the package phase: run them with "
                    + "`./mvnw verify` (or `./mvnw -pl it -am verify`), not `test`.");
        }
    }

    private static String compare() {
        if (!Files.isRegularFile(ROOT.resolve("hv"))) {
            return "no launcher at " + ROOT.resolve("hv");
        }
        if (!Files.isDirectory(lib()) || !Files.isDirectory(plugins())) {
            return "no image: " + lib() + " or " + plugins() + " is missing";
        }
        ModuleFinder image = ModuleFinder.of(lib(), plugins());
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path built = Path.of(entry);
            for (ModuleReference ref : hvModulesAt(built)) {
                String name = ref.descriptor().name();
                Optional<ModuleReference> inImage = image.find(name);
                if (inImage.isEmpty()) {
                    problems.add(name + " is not in the image");
                } else if (!sameClasses(ref, inImage.get())) {
                    problems.add(name + " in the image differs from " + built);
                }
                compared++;
            }
        }
        if (compared == 0) {
            problems.add("no HV module on the test class path (it/pom.xml must depend on the dist pom)");
        }
        return problems.isEmpty() ? null : "build image at " + ROOT.resolve("build") + " is not the build under test: " + problems;
    }

    private static List<ModuleReference> hvModulesAt(Path entry) {
        boolean explicitModule;
        if (Files.isDirectory(entry)) {
            explicitModule = Files.isRegularFile(entry.resolve("module-info.class"));
        } else if (Files.isRegularFile(entry) && entry.toString().endsWith(".jar")) {
            try (JarFile jar = new JarFile(entry.toFile())) {
                explicitModule = jar.getEntry("module-info.class") != null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            explicitModule = false;
        }
        if (!explicitModule) {
            return List.of();
        }
        return ModuleFinder.of(entry).findAll().stream().filter(r -> r.descriptor().name().startsWith("hv.")).toList();
    }

    /**
     * Same descriptor and the same class files with the same bytes. module-info.class itself is
     * compared as a descriptor: the jar plugin rewrites it (it adds the ModulePackages attribute).
     * Resources and manifests may differ between a directory and a jar.
     */
    private static boolean sameClasses(ModuleReference a, ModuleReference b) {
        if (!a.descriptor().equals(b.descriptor())) {
            return false;
        }
        try (ModuleReader ra = a.open(); ModuleReader rb = b.open()) {
            List<String> ca = ra.list().filter(BuildImage::isClass).sorted().toList();
            List<String> cb = rb.list().filter(BuildImage::isClass).sorted().toList();
            if (!ca.equals(cb)) {
                return false;
            }
            for (String n : ca) {
                if (!Arrays.equals(read(ra, n), read(rb, n))) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isClass(String name) {
        return name.endsWith(".class") && !name.equals("module-info.class");
    }

    private static byte[] read(ModuleReader r, String name) throws IOException {
        try (InputStream in = r.open(name).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    /** The repository root: hv.root from the pom, else the nearest parent holding the launcher and the wrapper. */
    private static Path findRoot() {
        String configured = System.getProperty("hv.root");
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "hv"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("hv")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root (with ./hv and ./mvnw) not found above " + Path.of("").toAbsolutePath());
    }
}
