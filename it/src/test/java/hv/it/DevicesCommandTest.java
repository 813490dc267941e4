package hv.it;

import hv.api.device.DeviceProvider;
import hv.api.net.NetworkBackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static hv.it.LauncherAssertions.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./hv devices}: the header, one row per device, and for every jar that cannot be used
 * exactly one {@code hv: plugin: <jar>: <reason>} line on stderr while the others still list.
 * The plugins of this repository are still being written, so the default folder is checked for
 * form (every jar accounted for); the content is checked with plugin jars built here.
 */
class DevicesCommandTest {

    private static final Pattern HEADER = Pattern.compile("TYPE\\s+MODULE\\s+VERSION\\s+DESCRIPTION");
    /** type, module, version, description: the first three are single words. */
    private static final Pattern ROW = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S.*)");

    private record Row(String type, String module, String version, String description) {
    }

    @Test
    void listsEveryPluginJarOfTheDefaultFolderOrSaysWhyNot() throws IOException {
        Hv.Result r = Hv.run("devices");

        assertNoStackTrace(r);
        assertEquals(0, r.exit(), r::toString);
        List<Row> rows = rows(r);
        List<String> jars;
        try (Stream<Path> s = Files.list(BuildImage.plugins())) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(!jars.isEmpty(), "dist put no plugin into " + BuildImage.plugins());
        for (String jar : jars) {
            ModuleDescriptor descriptor = descriptorOf(BuildImage.plugins().resolve(jar));
            String module = descriptor.name();
            boolean listed = rows.stream().anyMatch(row -> row.module().equals(module));
            long errors = r.errLines().stream().filter(l -> l.startsWith("hv: plugin: " + jar + ": ")).count();
            assertTrue(errors <= 1, () -> jar + " has more than one error line:\n" + r);
            if (providesOnlyNetworkBackends(descriptor)) {
                assertEquals(0, errors, () -> jar + " is a network-backend plugin, not a broken device plugin:\n" + r);
                continue; // not a device: `hv devices` lists device types only
            }
            assertTrue(listed || errors == 1, () -> jar + " (" + module + ") is neither listed nor reported:\n" + r);
        }
        for (String line : r.errLines()) {
            assertTrue(line.startsWith("hv: plugin: "), () -> "unexpected stderr line '" + line + "':\n" + r);
        }
        for (Row row : rows) {
            assertTrue(row.module().startsWith("hv.plugin."), () -> "row of a module that is not a plugin: " + row);
        }
    }

    @Test
    void listsAPluginFromAnExtraFolder(@TempDir Path dir) throws IOException {
        PluginJar.module("hv.plugin.itprobe").version("9.8.7").type("it-probe")
                .descriptionExpression("\"integration-test probe device\"")
                .buildInto(dir, "itprobe.jar");

        Hv.Result r = Hv.run("devices", "--plugins", dir.toString());

        assertNoStackTrace(r);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(rows(r).contains(new Row("it-probe", "hv.plugin.itprobe", "9.8.7", "integration-test probe device")), r::toString);
        assertTrue(r.errLines().stream().noneMatch(l -> l.contains("itprobe.jar")), r::toString);
    }

    /** Each broken jar costs exactly one line naming it; the good plugin next to them still lists. */
    @Test
    void brokenJarsAreReportedInOneLineEachAndTheRestStillList(@TempDir Path dir) throws IOException {
        PluginJar.module("hv.plugin.itgood").type("it-good").buildInto(dir, "a-good.jar");
        List<String> broken = new ArrayList<>();
        Files.write(dir.resolve("b-not-a-zip.jar"), "this is not a jar\n".getBytes());
        broken.add("b-not-a-zip.jar");
        writeNonModularJar(dir.resolve("c-no-module.jar"));
        broken.add("c-no-module.jar");
        PluginJar.module("hv.plugin.itctor").type("it-ctor")
                .constructorBody("if (true) throw new IllegalStateException(\"constructor fails\");")
                .buildInto(dir, "d-constructor-throws.jar");
        broken.add("d-constructor-throws.jar");
        PluginJar.module("hv.plugin.itdesc").type("it-desc")
                .descriptionExpression("String.valueOf(Integer.parseInt(\"not a number\"))")
                .buildInto(dir, "e-description-throws.jar");
        broken.add("e-description-throws.jar");
        PluginJar.module("hv.plugin.iterror").type("it-error")
                .constructorBody("if (true) throw new AssertionError(\"an Error, not an Exception\");")
                .buildInto(dir, "f-constructor-error.jar");
        broken.add("f-constructor-error.jar");
        PluginJar.module("hv.plugin.itspi").type("it-spi").spiVersion(DeviceProvider.SPI_VERSION + 1)
                .buildInto(dir, "g-wrong-spi.jar");
        broken.add("g-wrong-spi.jar");
        PluginJar.module("hv.plugin.itdup").type("it-good").buildInto(dir, "h-duplicate-type.jar");
        broken.add("h-duplicate-type.jar");

        Hv.Result r = Hv.run("devices", "--plugins", dir.toString());

        assertNoStackTrace(r);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(rows(r).stream().anyMatch(row -> row.type().equals("it-good") && row.module().equals("hv.plugin.itgood")),
                () -> "the good plugin must still be listed:\n" + r);
        for (String jar : broken) {
            List<String> lines = r.errLines().stream().filter(l -> l.contains(jar)).toList();
            assertEquals(1, lines.size(), () -> jar + " needs exactly one error line:\n" + r);
            assertTrue(lines.get(0).startsWith("hv: plugin: " + jar + ": ") && lines.get(0).length() > ("hv: plugin: " + jar + ": ").length(),
                    () -> "'hv: plugin: " + jar + ": <reason>' expected:\n" + r);
            assertTrue(rows(r).stream().noneMatch(row -> row.type().startsWith("it-") && !row.type().equals("it-good")),
                    () -> "a broken plugin was listed:\n" + r);
        }
        assertTrue(r.errLines().stream().filter(l -> l.contains("g-wrong-spi.jar")).allMatch(l -> l.contains("SPI")), r::toString);
    }

    @Test
    void aMissingPluginFolderIsNamedInOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-folder");

        Hv.Result r = Hv.run("devices", "--plugins", missing.toString());

        assertNoStackTrace(r);
        assertEquals(1, r.errLines().stream().filter(l -> l.startsWith("hv: plugin: " + missing)).count(), r::toString);
    }

    private static List<Row> rows(Hv.Result r) {
        List<String> out = r.outLines();
        assertTrue(!out.isEmpty() && HEADER.matcher(out.get(0)).matches(), () -> "header expected:\n" + r);
        List<Row> rows = new ArrayList<>();
        boolean backends = false;
        for (String line : out.subList(1, out.size())) {
            if (!backends && line.isEmpty()) {
                backends = true; // the network-backend section follows one blank line, with its own header
                continue;
            }
            if (backends && line.matches("NET BACKEND\\s+MODULE\\s+VERSION\\s+DESCRIPTION")) {
                continue;
            }
            Matcher m = ROW.matcher(line);
            assertTrue(m.matches(), () -> "malformed row '" + line + "':\n" + r);
            rows.add(new Row(m.group(1), m.group(2), m.group(3), m.group(4).strip()));
        }
        return rows;
    }

    private static ModuleDescriptor descriptorOf(Path jar) {
        return ModuleFinder.of(jar).findAll().stream().findFirst().map(ModuleReference::descriptor)
                .orElseThrow(() -> new AssertionError(jar + " in build/plugins is not a module"));
    }

    private static boolean providesOnlyNetworkBackends(ModuleDescriptor d) {
        return !d.provides().isEmpty() && d.provides().stream().allMatch(p -> p.service().equals(NetworkBackendProvider.class.getName()));
    }

    /** A jar without module-info and without a DeviceProvider: not a plugin. */
    private static void writeNonModularJar(Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write("no module here\n".getBytes());
            out.closeEntry();
        }
    }
}
