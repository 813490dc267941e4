package hv.architecture;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;

/**
 * HV's modules as built: every class-path entry (a reactor target/classes directory or a module
 * jar, depending on the Maven phase) that holds a {@code module-info.class} of a module named
 * {@code hv.*}. This module depends on the dist pom, so every core module and every plugin is on
 * its test class path. The descriptors are read with {@link ModuleFinder}, as the JVM reads them.
 */
public final class BuiltModules {

    /** One built module: its descriptor and where its classes are. */
    public record Built(ModuleDescriptor descriptor, Path location) {
    }

    private static final Map<String, Built> ALL = scan();

    private BuiltModules() {
    }

    /** Our modules by name, sorted. */
    public static Map<String, Built> all() {
        return ALL;
    }

    private static Map<String, Built> scan() {
        Map<String, Built> found = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!holdsModuleInfo(path)) {
                continue;
            }
            for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                String name = ref.descriptor().name();
                if (!name.startsWith("hv.")) {
                    continue;
                }
                Built previous = found.put(name, new Built(ref.descriptor(), path));
                if (previous != null) {
                    throw new IllegalStateException("module " + name + " is on the class path twice: "
                            + previous.location() + " and " + path);
                }
            }
        }
        return found;
    }

    /** Only explicit modules: a jar or directory without module-info would be an automatic module. */
    private static boolean holdsModuleInfo(Path path) {
        if (Files.isDirectory(path)) {
            return Files.isRegularFile(path.resolve("module-info.class"));
        }
        if (!Files.isRegularFile(path) || !path.toString().endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getEntry("module-info.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
