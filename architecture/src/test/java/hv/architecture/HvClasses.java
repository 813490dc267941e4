package hv.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * The production classes of every HV module, imported once from exactly the locations the
 * module descriptors were found at (target/classes or the module jars). The fixtures of this
 * module live in its test classes and are never part of this import.
 */
final class HvClasses {

    static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(locations());

    private HvClasses() {
    }

    /** A directory (reactor at test phase) or a jar (package phase and later): ArchUnit needs a jar: location for a jar. */
    private static Set<Location> locations() {
        return BuiltModules.all().values().stream()
                .map(b -> Files.isDirectory(b.location()) ? Location.of(b.location()) : jarLocation(b.location()))
                .collect(Collectors.toSet());
    }

    private static Location jarLocation(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Location.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + jar, e);
        }
    }
}
