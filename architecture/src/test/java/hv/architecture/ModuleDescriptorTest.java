package hv.architecture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module descriptors HV is built with, read by ModuleFinder, checked by {@link ModuleRules}. */
class ModuleDescriptorTest {

    static Stream<String> modules() {
        return BuiltModules.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void descriptorFollowsTheLayering(String module) {
        ModuleDescriptor d = BuiltModules.all().get(module).descriptor();

        assertEquals(List.of(), ModuleRules.violations(d), "module-info of " + module + ": " + d);
    }

    @Test
    void everyCoreModuleIsBuiltAndChecked() {
        Set<String> built = BuiltModules.all().keySet();
        for (Layer layer : Layer.CORE) {
            assertTrue(built.contains(layer.name()), layer.name() + " missing from the test class path " + built);
        }
        assertFalse(built.stream().noneMatch(n -> n.startsWith(Layer.PLUGIN_PREFIX)), "no plugin on the test class path: " + built);
    }

    /**
     * A plugin folder that dist does not ship is neither in build/plugins nor checked here:
     * every module declared under plugins/ must be on this module's (dist's) class path.
     */
    @Test
    void everyPluginInTheSourceTreeIsShippedAndChecked() throws IOException {
        Path plugins = projectRoot().resolve("plugins");
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(plugins)) {
            for (Path info : dirs.map(d -> d.resolve("src/main/java/module-info.java")).filter(Files::isRegularFile).toList()) {
                declared.add(moduleName(info));
            }
        }
        assertFalse(declared.isEmpty(), "no plugin module-info under " + plugins);
        Set<String> built = BuiltModules.all().keySet().stream().filter(n -> n.startsWith(Layer.PLUGIN_PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, built, "plugins in the source tree vs. plugins dist ships (dist/pom.xml)");
    }

    private static String moduleName(Path moduleInfo) throws IOException {
        String source = Files.readString(moduleInfo).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher m = Pattern.compile("\\bmodule\\s+([\\w.]+)\\s*\\{").matcher(source);
        assertTrue(m.find(), "no module declaration in " + moduleInfo);
        return m.group(1);
    }

    /** Surefire runs in architecture/; the root is the nearest parent with plugins/ and the Maven wrapper. */
    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("plugins")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root not found above " + Path.of("").toAbsolutePath());
    }
}
