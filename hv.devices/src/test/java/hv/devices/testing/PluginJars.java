package hv.devices.testing;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds real plugin jars during a test: javac (javax.tools) and a jar written by hand. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (relative path → text) against {@code modulePath} and writes the
     * classes, plus {@code extraFiles}, into {@code jar}.
     */
    public static Path build(Path work, Path jar, Map<String, String> sources, List<Path> modulePath,
                             Map<String, String> extraFiles) {
        try {
            Path src = Files.createTempDirectory(work, "src");
            Path classes = Files.createTempDirectory(work, "classes");
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path f = src.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
                files.add(f);
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new AssertionError("no system Java compiler: tests need a JDK, not a JRE");
            }
            DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, StandardCharsets.UTF_8)) {
                List<String> options = new ArrayList<>(List.of("--release", "25", "-d", classes.toString(), "-proc:none"));
                if (!modulePath.isEmpty()) {
                    options.add(sources.containsKey("module-info.java") ? "--module-path" : "-classpath");
                    options.add(String.join(java.io.File.pathSeparator, modulePath.stream().map(Path::toString).toList()));
                }
                Boolean ok = javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
                if (!ok) {
                    StringBuilder sb = new StringBuilder("plugin fixture does not compile:");
                    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                        sb.append('\n').append(d);
                    }
                    throw new AssertionError(sb.toString());
                }
            }
            for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                Path f = classes.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            writeJar(classes, jar);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeJar(Path root, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    j.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
                    j.write(Files.readAllBytes(p));
                    j.closeEntry();
                }
            }
        }
    }

    /** Where a class was loaded from (a classes folder or a jar), for module paths. */
    public static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
