package hv.it;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds a device-plugin jar the way a plugin author would: a module that requires hv.api and
 * provides a DeviceProvider, compiled with javac against the image's hv.api jar and packaged as a
 * modular jar. The provider's behaviour is set per test, so broken plugins can be built too.
 */
final class PluginJar {

    private final String module;
    private String version = "1.0";
    private String type = "it-probe";
    private String description = "\"integration-test probe device\"";
    private String constructorBody = "";
    private String spiVersion = "DeviceProvider.SPI_VERSION";

    private PluginJar(String module) {
        this.module = module;
    }

    /** A working plugin in module {@code module}. */
    static PluginJar module(String module) {
        return new PluginJar(module);
    }

    PluginJar version(String v) {
        this.version = v;
        return this;
    }

    PluginJar type(String t) {
        this.type = t;
        return this;
    }

    /** A Java expression of type String. */
    PluginJar descriptionExpression(String javaExpression) {
        this.description = javaExpression;
        return this;
    }

    PluginJar constructorBody(String javaStatements) {
        this.constructorBody = javaStatements;
        return this;
    }

    PluginJar spiVersion(int v) {
        this.spiVersion = Integer.toString(v);
        return this;
    }

    /** Compiles and packages the plugin as {@code dir/jarName}. */
    Path buildInto(Path dir, String jarName) throws IOException {
        Path work = Files.createTempDirectory("hv-it-plugin");
        String pkg = module;
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(src.resolve(pkg.replace('.', '/')));
        Files.createDirectories(classes);
        Files.writeString(src.resolve("module-info.java"), """
                module %s {
                    requires hv.api;
                    provides hv.api.device.DeviceProvider with %s.ProbeProvider;
                }
                """.formatted(module, pkg));
        Files.writeString(src.resolve(pkg.replace('.', '/')).resolve("ProbeProvider.java"), """
                package %s;

                import hv.api.device.Device;
                import hv.api.device.DeviceConfigException;
                import hv.api.device.DeviceContext;
                import hv.api.device.DeviceOptions;
                import hv.api.device.DeviceProvider;
                import hv.api.device.OptionSpec;
                import hv.api.device.Placement;
                import java.util.List;

                public final class ProbeProvider implements DeviceProvider {
                    public ProbeProvider() {
                        %s
                    }

                    @Override public String type() { return "%s"; }
                    @Override public String description() { return %s; }
                    @Override public int spiVersion() { return %s; }
                    @Override public Placement placement() { return Placement.virtioSlot(); }
                    @Override public List<OptionSpec> options() { return List.of(); }
                    @Override public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
                        throw new DeviceConfigException("%s is a probe for ./hv devices only");
                    }
                }
                """.formatted(pkg, constructorBody, type, description, spiVersion, type));
        compile(src, classes);
        Files.createDirectories(dir);
        Path jar = dir.resolve(jarName);
        writeJar(classes, jar);
        deleteTree(work);
        return jar;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void compile(Path src, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK (javax.tools.JavaCompiler)");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null);
             Stream<Path> walk = Files.walk(src)) {
            List<Path> sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
            List<String> options = new ArrayList<>(List.of(
                    "--release", "25", "-proc:none", "-Xlint:none",
                    "--module-path", BuildImage.apiJar().toString(),
                    "--module-version", version,
                    "-d", classes.toString()));
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, () -> "test plugin " + module + " did not compile: " + diagnostics.getDiagnostics());
        }
    }

    private static void writeJar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(os, manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }
}
