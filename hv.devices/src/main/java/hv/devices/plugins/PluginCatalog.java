package hv.devices.plugins;

import hv.api.device.DeviceProvider;
import hv.api.net.NetworkBackendProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds device plugins: every jar in the plugin folders gets its own module layer (parent: the
 * layer HV runs in) and ServiceLoader looks for {@link DeviceProvider}s in it. A jar that is not
 * a named module, is corrupt, fails to resolve, has no provider, has a provider that throws or
 * answers nonsense, targets another SPI version, repeats a module name or a device type, is
 * reported in one line naming the jar and the reason; the others still load.
 */
public final class PluginCatalog {

    /** Device types are what users type after --device: lower-case, no commas or spaces. */
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MAX_REASON = 300;

    /** A provider and where it came from. */
    public record Entry(DeviceProvider provider, String module, String version, Path jar) {
    }

    private final Map<String, Entry> byType;
    private final Map<String, NetworkBackendProvider> backends;
    private final List<String> errors;

    private PluginCatalog(Loader l) {
        this.byType = l.byType;
        this.backends = Map.copyOf(l.backends);
        this.errors = List.copyOf(l.errors);
    }

    public static PluginCatalog load(List<Path> folders) {
        return load(folders, ModuleLayer.boot(), PluginCatalog.class.getClassLoader());
    }

    /**
     * Loads every jar of {@code folders} into its own layer whose parent is {@code parent}
     * (the layer that holds hv.api, and hv.devices for virtio plugins).
     */
    public static PluginCatalog load(List<Path> folders, ModuleLayer parent, ClassLoader parentLoader) {
        Loader l = new Loader(parent, parentLoader);
        for (Path folder : folders) {
            for (Path jar : jarsIn(folder, l.errors)) {
                l.loadJar(jar);
            }
        }
        return new PluginCatalog(l);
    }

    /**
     * Providers visible to {@code loader} through {@code META-INF/services} (plugins on the
     * class path, as in tests), checked the same way as plugin jars.
     */
    public static PluginCatalog loadClassPath(ClassLoader loader) {
        Loader l = new Loader(ModuleLayer.boot(), loader);
        try {
            for (ServiceLoader.Provider<DeviceProvider> p : ServiceLoader.load(DeviceProvider.class, loader).stream().toList()) {
                Path origin = codeSource(p.type());
                l.addProvider(origin.getFileName() == null ? origin.toString() : origin.getFileName().toString(),
                        "(class path)", "-", origin, p);
            }
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            l.errors.add("class path: cannot list device providers: " + oneLine(e));
        }
        return new PluginCatalog(l);
    }

    private static Path codeSource(Class<?> c) {
        try {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            if (cs != null && cs.getLocation() != null) {
                return Path.of(cs.getLocation().toURI());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through: name the class instead
        }
        return Path.of(c.getName());
    }

    private static List<Path> jarsIn(Path folder, List<String> errors) {
        List<Path> jars = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            errors.add(folder + ": plugin folder does not exist");
            return jars;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    jars.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add(folder + ": cannot list plugin folder: " + oneLine(e));
        }
        jars.sort(Comparator.comparing(Path::toString));
        return jars;
    }

    /** One catalog being built. */
    private static final class Loader {
        private final ModuleLayer parent;
        private final ClassLoader parentLoader;
        private final Map<String, Entry> byType = new LinkedHashMap<>();
        private final Map<String, NetworkBackendProvider> backends = new LinkedHashMap<>();
        private final Map<String, Path> moduleJars = new HashMap<>();
        private final List<String> errors = new ArrayList<>();

        Loader(ModuleLayer parent, ClassLoader parentLoader) {
            this.parent = parent;
            this.parentLoader = parentLoader;
        }

        void loadJar(Path jar) {
            String name = jar.getFileName().toString();
            try {
                ModuleFinder finder = ModuleFinder.of(jar);
                Set<ModuleReference> refs = finder.findAll();
                if (refs.size() != 1) {
                    errors.add(name + ": not a plugin jar (expected one module, found " + refs.size() + ")");
                    return;
                }
                ModuleDescriptor descriptor = refs.iterator().next().descriptor();
                if (descriptor.isAutomatic()) {
                    errors.add(name + ": not a module (no module-info.class); a plugin must be a named module that "
                            + "'provides hv.api.device.DeviceProvider'");
                    return;
                }
                String module = descriptor.name();
                if (parent.findModule(module).isPresent()) {
                    errors.add(name + ": module " + module + " is already part of HV");
                    return;
                }
                Path other = moduleJars.get(module);
                if (other != null) {
                    errors.add(name + ": module " + module + " is already loaded from " + other.getFileName());
                    return;
                }
                Configuration cf = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), Set.of(module));
                ModuleLayer layer = parent.defineModulesWithOneLoader(cf, parentLoader);
                moduleJars.put(module, jar);
                int found = 0;
                for (ServiceLoader.Provider<DeviceProvider> p : ServiceLoader.load(layer, DeviceProvider.class).stream().toList()) {
                    if (p.type().getModule().getLayer() != layer) {
                        continue; // a provider of the parent layer, not this jar's
                    }
                    found++;
                    addProvider(name, module, descriptor.rawVersion().orElse("-"), jar, p);
                }
                found += addBackends(name, layer);
                if (found == 0) {
                    errors.add(name + ": module " + module + " provides no hv.api.device.DeviceProvider or hv.api.net.NetworkBackendProvider");
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                errors.add(name + ": cannot load: " + oneLine(e));
            }
        }

        /** Network backends (hv.api.net) from the same layer: they are plugins too. */
        int addBackends(String jarName, ModuleLayer layer) {
            int found = 0;
            for (ServiceLoader.Provider<NetworkBackendProvider> p : ServiceLoader.load(layer, NetworkBackendProvider.class).stream().toList()) {
                if (p.type().getModule().getLayer() != layer) {
                    continue;
                }
                found++;
                try {
                    NetworkBackendProvider provider = p.get();
                    String type = provider.type();
                    if (type == null || !TYPE.matcher(type).matches()) {
                        errors.add(jarName + ": network backend " + p.type().getName() + " has an invalid type '" + type + "'");
                    } else if (backends.putIfAbsent(type, provider) != null) {
                        errors.add(jarName + ": network backend '" + type + "' is already provided by another plugin");
                    }
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    errors.add(jarName + ": network backend " + p.type().getName() + " failed: " + oneLine(e));
                }
            }
            return found;
        }

        void addProvider(String jarName, String module, String version, Path jar, ServiceLoader.Provider<DeviceProvider> p) {
            String className = p.type().getName();
            DeviceProvider provider;
            String type;
            int spi;
            try {
                provider = p.get();
                spi = provider.spiVersion();
                if (spi != DeviceProvider.SPI_VERSION) {
                    errors.add(jarName + ": " + className + " was built for device SPI " + spi
                            + ", this HV has SPI " + DeviceProvider.SPI_VERSION);
                    return;
                }
                type = provider.type();
                String description = provider.description();
                Placement placement = provider.placement();
                List<OptionSpec> options = provider.options();
                if (description == null || placement == null || options == null) {
                    errors.add(jarName + ": " + className + " returns null for its "
                            + (description == null ? "description" : placement == null ? "placement" : "options"));
                    return;
                }
            } catch (ServiceConfigurationError | RuntimeException | LinkageError | StackOverflowError e) {
                errors.add(jarName + ": provider " + className + " failed: " + oneLine(e));
                return;
            }
            if (type == null || !TYPE.matcher(type).matches()) {
                errors.add(jarName + ": provider " + className + " has an invalid device type '" + type
                        + "' (lower-case letters, digits, '.', '_', '-')");
                return;
            }
            Entry previous = byType.get(type);
            if (previous != null) {
                errors.add(jarName + ": device type '" + type + "' is already provided by " + previous.jar().getFileName());
                return;
            }
            byType.put(type, new Entry(provider, module, version, jar));
        }
    }

    private static String oneLine(Throwable t) {
        Throwable root = t;
        String msg = t.getMessage();
        if (t instanceof ServiceConfigurationError && t.getCause() != null) {
            root = t.getCause(); // the provider's own exception says more than the wrapper
            msg = root.getMessage();
        }
        String s = root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        s = s.replaceAll("\\s+", " ").strip();
        return s.length() > MAX_REASON ? s.substring(0, MAX_REASON) + "..." : s;
    }

    public List<Entry> entries() {
        return List.copyOf(byType.values());
    }

    public Optional<Entry> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Network backend providers by type ({@code stream}, {@code dgram}, {@code switch}, ...). */
    public Map<String, NetworkBackendProvider> networkBackends() {
        return backends;
    }

    /** One line per folder, jar or provider that could not be loaded. */
    public List<String> errors() {
        return errors;
    }
}
