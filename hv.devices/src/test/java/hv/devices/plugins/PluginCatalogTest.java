package hv.devices.plugins;

import hv.api.device.DeviceProvider;
import hv.devices.testing.PluginJars;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugin discovery with real jars compiled during the test and loaded into module layers, as
 * {@code ./hv} does. HV's own modules (hv.api, hv.devices, JCTools) are put in a host layer
 * first, since tests run on the class path.
 */
class PluginCatalogTest {

    @TempDir
    static Path work;
    static Path plugins;
    static ModuleLayer host;

    @BeforeAll
    static void buildJars() throws Exception {
        Path api = PluginJars.locationOf(DeviceProvider.class);
        Path devices = PluginJars.locationOf(PluginCatalog.class);
        Path jctools = PluginJars.locationOf(MpscAtomicArrayQueue.class);
        plugins = Files.createDirectories(work.resolve("plugins"));
        List<Path> mp = List.of(api, devices);

        jar("a-good.jar", "test.good", "good-dev", "", mp, true);
        jar("b-virtio.jar", "test.virtio", "virtio-thing", "requires hv.devices;", mp, true);
        jar("c-duplicate.jar", "test.dup", "good-dev", "", mp, true);
        jar("d-broken.jar", "test.broken", "broken-dev", "", mp, true,
                "public P() { throw new IllegalStateException(\"cannot start: no frobnicator\"); }", "return SPI_VERSION;");
        jar("e-wrongspi.jar", "test.oldspi", "old-dev", "", mp, true, "", "return 99;");
        jar("f-noprovider.jar", "test.none", "none", "", mp, false);
        jar("g-badtype.jar", "test.badtype", "Bad Type,x", "", mp, true);
        jar("h-needsmissing.jar", "test.missing", "missing-dev", "requires not.there;", List.of(api, devices, makeStub()), true);

        // Not a module: classes and META-INF/services, no module-info.
        PluginJars.build(work, plugins.resolve("i-plain.jar"),
                Map.of("plain/P.java", provider("plain", "plain-dev", "", "return SPI_VERSION;")),
                List.of(api), Map.of("META-INF/services/hv.api.device.DeviceProvider", "plain.P\n"));
        // Corrupt: not a zip at all.
        Files.write(plugins.resolve("j-corrupt.jar"), new byte[]{'P', 'K', 3, 4, 1, 2, 3, 4, 5, 6, 7});
        // A network backend plugin: no device, but a valid plugin.
        PluginJars.build(work, plugins.resolve("l-backend.jar"), Map.of(
                "module-info.java", "module test.backend { requires hv.api; provides hv.api.net.NetworkBackendProvider with pb.B; }",
                "pb/B.java", "package pb; public final class B implements hv.api.net.NetworkBackendProvider {"
                        + " public String type() { return \"loop\"; } public String description() { return \"test\"; }"
                        + " public hv.api.net.NetworkBackend open(hv.api.device.DeviceOptions o, hv.api.net.FrameSink s) { throw new UnsupportedOperationException(); } }"),
                mp, Map.of());
        // Typed() throws.
        jar("k-typethrows.jar", "test.typethrows", "x", "", mp, true,
                "public String type() { throw new UnsupportedOperationException(\"oops\"); }", "return SPI_VERSION;");

        ModuleFinder finder = ModuleFinder.of(api, devices, jctools);
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("hv.api", "hv.devices"));
        ModuleLayer.Controller c = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()), ClassLoader.getPlatformClassLoader());
        host = c.layer();
        c.addExports(host.findModule("hv.devices").orElseThrow(), "hv.devices.plugins", PluginCatalogTest.class.getModule());
    }

    /** A module that only exists at compile time, so resolution fails at load time. */
    private static Path makeStub() {
        Path stub = work.resolve("stub.jar");
        PluginJars.build(work, stub, Map.of("module-info.java", "module not.there { }"), List.of(), Map.of());
        return stub;
    }

    private static void jar(String file, String module, String type, String extraRequires, List<Path> mp, boolean provides) {
        jar(file, module, type, extraRequires, mp, provides, "", "return SPI_VERSION;");
    }

    private static void jar(String file, String module, String type, String extraRequires, List<Path> mp,
                            boolean provides, String extraMembers, String spiBody) {
        String pkg = module.replace("test.", "p");
        String mi = "module " + module + " { requires hv.api; " + extraRequires
                + (provides ? " provides hv.api.device.DeviceProvider with " + pkg + ".P;" : "") + " }";
        PluginJars.build(work, plugins.resolve(file),
                Map.of("module-info.java", mi, pkg + "/P.java", provider(pkg, type, extraMembers, spiBody)),
                mp, Map.of());
    }

    private static String provider(String pkg, String type, String extraMembers, String spiBody) {
        boolean typeOverridden = extraMembers.contains("String type()");
        return "package " + pkg + ";\n"
                + "import hv.api.device.*;\nimport java.util.List;\n"
                + "public final class P implements DeviceProvider {\n"
                + extraMembers + "\n"
                + (typeOverridden ? "" : "public String type() { return \"" + type + "\"; }\n")
                + "public String description() { return \"test device\"; }\n"
                + "public int spiVersion() { " + spiBody + " }\n"
                + "public Placement placement() { return Placement.virtioSlot(); }\n"
                + "public List<OptionSpec> options() { return List.of(); }\n"
                + "public Device create(DeviceContext c, DeviceOptions o) { throw new UnsupportedOperationException(); }\n"
                + "}\n";
    }

    private record Loaded(List<String> types, List<String> errors, List<String> backends) {
    }

    private static Loaded load(List<Path> folders) throws Exception {
        Class<?> catalog = host.findLoader("hv.devices").loadClass("hv.devices.plugins.PluginCatalog");
        Method load = catalog.getMethod("load", List.class, ModuleLayer.class, ClassLoader.class);
        Object cat = load.invoke(null, folders, host, host.findLoader("hv.api"));
        @SuppressWarnings("unchecked")
        List<String> errors = (List<String>) catalog.getMethod("errors").invoke(cat);
        List<String> types = new ArrayList<>();
        for (Object entry : (List<?>) catalog.getMethod("entries").invoke(cat)) {
            Method providerAccessor = entry.getClass().getMethod("provider");
            providerAccessor.setAccessible(true);
            Object provider = providerAccessor.invoke(entry);
            Method type = host.findLoader("hv.api").loadClass("hv.api.device.DeviceProvider").getMethod("type");
            types.add((String) type.invoke(provider));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> backendMap = (Map<String, ?>) catalog.getMethod("networkBackends").invoke(cat);
        List<String> backends = new ArrayList<>(backendMap.keySet());
        return new Loaded(types, errors, backends);
    }

    private static String errorFor(Loaded l, String jar) {
        List<String> hits = l.errors().stream().filter(e -> e.startsWith(jar + ":")).toList();
        assertEquals(1, hits.size(), "exactly one line for " + jar + " in " + l.errors());
        assertFalse(hits.get(0).contains("\n"), "one line");
        return hits.get(0);
    }

    @Test
    void goodPluginsLoadWhileEachBadJarGetsOneLine() throws Exception {
        Loaded l = load(List.of(plugins));
        assertEquals(List.of("good-dev", "virtio-thing"), l.types(), "both good plugins, nothing else");

        assertTrue(errorFor(l, "c-duplicate.jar").contains("device type 'good-dev' is already provided by a-good.jar"));
        String broken = errorFor(l, "d-broken.jar");
        assertTrue(broken.contains("failed") && broken.contains("cannot start: no frobnicator"), broken);
        assertTrue(errorFor(l, "e-wrongspi.jar").contains("built for device SPI 99, this HV has SPI " + DeviceProvider.SPI_VERSION));
        assertTrue(errorFor(l, "f-noprovider.jar").contains("provides no hv.api.device.DeviceProvider"));
        assertTrue(errorFor(l, "g-badtype.jar").contains("invalid device type 'Bad Type,x'"));
        assertTrue(errorFor(l, "h-needsmissing.jar").contains("not.there"), errorFor(l, "h-needsmissing.jar"));
        assertTrue(errorFor(l, "i-plain.jar").contains("not a module"));
        assertTrue(errorFor(l, "j-corrupt.jar").contains("cannot load"), errorFor(l, "j-corrupt.jar"));
        assertTrue(errorFor(l, "k-typethrows.jar").contains("oops"));
        assertEquals(9, l.errors().size(), l.errors().toString());
        assertEquals(List.of("loop"), l.backends(), "a backend-only jar is a plugin, not an error");
    }

    @Test
    void aMissingFolderIsReportedAndTheOthersStillLoad() throws Exception {
        Loaded l = load(List.of(work.resolve("nope"), plugins));
        assertTrue(l.errors().get(0).contains("plugin folder does not exist"));
        assertTrue(l.types().contains("good-dev"));
    }

    @Test
    void theSameModuleInTwoFoldersIsLoadedOnce() throws Exception {
        Path second = Files.createDirectories(work.resolve("second"));
        Files.copy(plugins.resolve("a-good.jar"), second.resolve("a-good-copy.jar"));
        Loaded l = load(List.of(plugins, second));
        assertTrue(errorFor(l, "a-good-copy.jar").contains("module test.good is already loaded from a-good.jar"));
    }

    @Test
    void classPathProvidersAreCheckedToo() {
        PluginCatalog c = PluginCatalog.loadClassPath(getClass().getClassLoader());
        assertTrue(c.errors().isEmpty(), c.errors().toString());
    }
}
