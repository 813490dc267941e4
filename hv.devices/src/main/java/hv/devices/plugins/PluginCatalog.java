package hv.devices.plugins;

import hv.api.device.DeviceProvider;
import hv.api.net.NetworkBackendProvider;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds device plugins: every jar in the plugin folders gets its own module layer (parent: the
 * layer HV runs in) and ServiceLoader looks for {@link DeviceProvider}s in it. A jar that is not
 * a module, fails to resolve, has a provider that throws, targets another SPI version or repeats
 * a device type is reported in one line naming the jar and the reason; the others still load.
 */
public final class PluginCatalog {

    /** A provider and where it came from. */
    public record Entry(DeviceProvider provider, String module, String version, Path jar) {
    }

    private final Map<String, Entry> byType;
    private final Map<String, NetworkBackendProvider> backends;
    private final List<String> errors;

    private PluginCatalog(Map<String, Entry> byType, Map<String, NetworkBackendProvider> backends, List<String> errors) {
        this.byType = byType;
        this.backends = backends;
        this.errors = errors;
    }

    public static PluginCatalog load(List<Path> folders) {
        return load(folders, ModuleLayer.boot(), PluginCatalog.class.getClassLoader());
    }

    public static PluginCatalog load(List<Path> folders, ModuleLayer parent, ClassLoader parentLoader) {
        Map<String, Entry> byType = new LinkedHashMap<>();
        Map<String, NetworkBackendProvider> backends = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Path folder : folders) {
            for (Path jar : jarsIn(folder, errors)) {
                loadJar(jar, parent, parentLoader, byType, backends, errors);
            }
        }
        return new PluginCatalog(byType, Map.copyOf(backends), List.copyOf(errors));
    }

    private static List<Path> jarsIn(Path folder, List<String> errors) {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            errors.add(folder + ": plugin folder does not exist");
            return jars;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            errors.add(folder + ": cannot list plugin folder: " + e.getMessage());
        }
        jars.sort(Comparator.comparing(Path::toString));
        return jars;
    }

    private static void loadJar(Path jar, ModuleLayer parent, ClassLoader parentLoader,
                                Map<String, Entry> byType, Map<String, NetworkBackendProvider> backends, List<String> errors) {
        String name = jar.getFileName().toString();
        try {
            ModuleFinder finder = ModuleFinder.of(jar);
            Set<ModuleReference> refs = finder.findAll();
            if (refs.size() != 1) {
                errors.add(name + ": not a plugin jar (expected one module, found " + refs.size() + ")");
                return;
            }
            ModuleDescriptor descriptor = refs.iterator().next().descriptor();
            if (parent.findModule(descriptor.name()).isPresent()) {
                errors.add(name + ": module " + descriptor.name() + " is already loaded");
                return;
            }
            Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), Set.of(descriptor.name()));
            ModuleLayer layer = parent.defineModulesWithOneLoader(cf, parentLoader);
            int found = 0;
            for (ServiceLoader.Provider<DeviceProvider> p : ServiceLoader.load(layer, DeviceProvider.class).stream().toList()) {
                if (p.type().getModule().getLayer() != layer) {
                    continue; // a provider of the parent layer, listed by the host catalog
                }
                found++;
                addProvider(name, descriptor, jar, p, byType, errors);
            }
            found += loadBackends(name, layer, backends, errors);
            if (found == 0) {
                errors.add(name + ": module " + descriptor.name() + " provides no hv.api.device.DeviceProvider or hv.api.net.NetworkBackendProvider");
            }
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            errors.add(name + ": cannot load: " + oneLine(e));
        }
    }

    private static void addProvider(String jarName, ModuleDescriptor descriptor, Path jar,
                                    ServiceLoader.Provider<DeviceProvider> p, Map<String, Entry> byType, List<String> errors) {
        DeviceProvider provider;
        String type;
        int spi;
        try {
            provider = p.get();
            type = provider.type();
            spi = provider.spiVersion();
            provider.description();
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            // ServiceConfigurationError is an Error: it is how ServiceLoader reports a provider
            // whose constructor threw, and it must cost this jar only, not the whole catalog.
            errors.add(jarName + ": provider " + p.type().getName() + " failed: " + oneLine(e));
            return;
        }
        if (spi != DeviceProvider.SPI_VERSION) {
            errors.add(jarName + ": device '" + type + "' was built for device SPI " + spi + ", this HV has SPI " + DeviceProvider.SPI_VERSION);
            return;
        }
        if (type == null || type.isBlank() || type.contains(",")) {
            errors.add(jarName + ": provider " + p.type().getName() + " has an invalid device type '" + type + "'");
            return;
        }
        Entry previous = byType.get(type);
        if (previous != null) {
            errors.add(jarName + ": device type '" + type + "' is already provided by " + previous.jar().getFileName());
            return;
        }
        byType.put(type, new Entry(provider, descriptor.name(), descriptor.rawVersion().orElse("-"), jar));
    }

    /** Network backends (hv.api.net) from the same layer; they are plugins too. */
    private static int loadBackends(String jarName, ModuleLayer layer, Map<String, NetworkBackendProvider> backends, List<String> errors) {
        int found = 0;
        for (ServiceLoader.Provider<NetworkBackendProvider> p : ServiceLoader.load(layer, NetworkBackendProvider.class).stream().toList()) {
            if (p.type().getModule().getLayer() != layer) {
                continue;
            }
            found++;
            try {
                NetworkBackendProvider provider = p.get();
                String type = provider.type();
                if (backends.putIfAbsent(type, provider) != null) {
                    errors.add(jarName + ": network backend '" + type + "' is already provided by another plugin");
                }
            } catch (RuntimeException | LinkageError e) {
                errors.add(jarName + ": network backend " + p.type().getName() + " failed: " + oneLine(e));
            }
        }
        return found;
    }

    private static String oneLine(Throwable t) {
        String msg = t.getMessage();
        String s = t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        return s.replace('\n', ' ');
    }

    public List<Entry> entries() {
        return List.copyOf(byType.values());
    }

    public java.util.Optional<Entry> find(String type) {
        return java.util.Optional.ofNullable(byType.get(type));
    }

    /** Network backend providers by type ({@code stream}, {@code dgram}, {@code switch}, ...). */
    public Map<String, NetworkBackendProvider> networkBackends() {
        return backends;
    }

    /** One line per jar or provider that could not be loaded. */
    public List<String> errors() {
        return errors;
    }
}
