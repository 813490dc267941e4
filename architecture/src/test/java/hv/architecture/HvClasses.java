package hv.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

import java.util.Set;
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

    private static Set<Location> locations() {
        return BuiltModules.all().values().stream()
                .map(b -> Location.of(b.location()))
                .collect(Collectors.toSet());
    }
}
