package hv.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The layering rules, applied to the classes HV is actually built from. */
class LayeringRulesTest {

    static Stream<Arguments> rules() {
        return LayeringRules.all().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holdsForTheRealBuild(String name, ArchRule rule) {
        rule.check(HvClasses.PRODUCTION);
    }

    /**
     * Guards against the rules passing vacuously: the import must hold every class file of every
     * module (a class-path or import problem would otherwise make all rules trivially green).
     */
    @Test
    void everyClassOfEveryModuleIsChecked() {
        Set<String> expected = new TreeSet<>();
        for (BuiltModules.Built b : BuiltModules.all().values()) {
            expected.addAll(classNamesAt(b.location()));
        }
        Set<String> imported = HvClasses.PRODUCTION.stream().map(JavaClass::getName)
                .filter(n -> !n.endsWith("package-info"))
                .collect(Collectors.toCollection(TreeSet::new));
        expected.removeIf(n -> n.endsWith("package-info"));
        assertEquals(expected, imported);
    }

    private static Set<String> classNamesAt(Path location) {
        try {
            Stream<String> entries;
            if (Files.isDirectory(location)) {
                try (Stream<Path> walk = Files.walk(location)) {
                    entries = walk.filter(Files::isRegularFile).map(p -> location.relativize(p).toString().replace('\\', '/')).toList().stream();
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    entries = jar.stream().map(e -> e.getName()).toList().stream();
                }
            }
            return entries.filter(n -> n.endsWith(".class") && !n.equals("module-info.class") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
