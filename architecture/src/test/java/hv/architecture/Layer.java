package hv.architecture;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The layering table of HV, in one place, for both kinds of checks: the module descriptors
 * ({@link #mayRequire}, JPMS module names) and the class dependencies ({@link #mayUse}, Java
 * package prefixes, checked by ArchUnit). The two views are kept side by side so they cannot
 * drift apart. The JDK's {@code java.*} modules and {@code java.}/{@code javax.} packages are
 * always allowed and not listed; no {@code jdk.*} module is (that is how {@code sun.misc.Unsafe}
 * would get in: {@code requires jdk.unsupported}).
 *
 * <p>Third-party libraries, decided here:
 * <ul>
 *   <li>Netty: only network plugins ({@link #NETWORK_PLUGIN_MODULES}) and hv.tools ({@code hv switch}).
 *   <li>JCTools: hv.devices and hv.hosts only. Plugins, network plugins included, hand work
 *       between threads through the device-author package hv.devices.queues, which wraps
 *       JCTools, so no plugin depends on JCTools itself. Everywhere only the
 *       {@code org.jctools.queues.atomic} variants (the others use {@code sun.misc.Unsafe}).
 *   <li>picocli: only hv.tools.
 * </ul>
 *
 * @param name        the JPMS module name; for {@link #PLUGIN} the family prefix {@code hv.plugin}
 * @param mayRequire  module names (a trailing {@code .*} means any module with that prefix) this layer may require
 * @param mayUse      package prefixes of other modules this layer's classes may depend on
 */
public record Layer(String name, Set<String> mayRequire, Set<String> mayUse) {

    public static final Layer API = new Layer("hv.api", Set.of(), Set.of());
    public static final Layer MEMORY = new Layer("hv.memory", Set.of("hv.api"), Set.of("hv.api"));
    public static final Layer CPU = new Layer("hv.cpu", Set.of("hv.api", "hv.memory"), Set.of("hv.api", "hv.memory"));
    public static final Layer DEVICES = new Layer("hv.devices",
            Set.of("hv.api", "org.jctools.core"),
            Set.of("hv.api", "org.jctools"));
    public static final Layer HOSTS = new Layer("hv.hosts",
            Set.of("hv.api", "hv.memory", "hv.cpu", "hv.devices", "org.jctools.core"),
            Set.of("hv.api", "hv.memory", "hv.cpu", "hv.devices", "org.jctools"));
    public static final Layer PROCVM = new Layer("hv.procvm",
            Set.of("hv.api", "hv.memory", "hv.cpu"),
            Set.of("hv.api", "hv.memory", "hv.cpu"));
    public static final Layer TOOLS = new Layer("hv.tools",
            Set.of("hv.api", "hv.hosts", "hv.devices", "hv.procvm", "info.picocli", "io.netty.*"),
            Set.of("hv.api", "hv.hosts", "hv.devices.plugins", "hv.procvm", "picocli", "io.netty"));
    /**
     * The packages hv.devices exports to everyone, for device authors: the virtio transport and
     * virtqueues, the lock-free hand-off queues and workers, and the console input with its escape.
     * Everything else of hv.devices is for hv.hosts (and plugin discovery for hv.tools).
     */
    public static final Set<String> DEVICE_AUTHOR_PACKAGES = Set.of("hv.devices.virtio", "hv.devices.queues", "hv.devices.console");

    /** Every device or backend plugin: the SPI and the device-author packages, nothing else of ours. */
    public static final Layer PLUGIN = new Layer("hv.plugin",
            Set.of("hv.api", "hv.devices"),
            union(Set.of("hv.api"), DEVICE_AUTHOR_PACKAGES));
    /** A plugin in {@link #NETWORK_PLUGIN_MODULES}: what every plugin sees, plus Netty. */
    public static final Layer NETWORK_PLUGIN = new Layer("hv.plugin",
            Set.of("hv.api", "hv.devices", "io.netty.*"),
            union(Set.of("hv.api", "io.netty"), DEVICE_AUTHOR_PACKAGES));

    /** The core modules, bottom-up. Each must exist in the build. */
    public static final List<Layer> CORE = List.of(API, MEMORY, CPU, DEVICES, HOSTS, PROCVM, TOOLS);

    /** The plugins that may use Netty: the socket backends and the virtio-net frontend. */
    public static final Set<String> NETWORK_PLUGIN_MODULES = Set.of("hv.plugin.net.sockets", "hv.plugin.virtio.net");

    public static final String PLUGIN_PREFIX = "hv.plugin.";

    /** The device-author package hv.devices must have (the virtio transport). */
    public static final String VIRTIO_PACKAGE = "hv.devices.virtio";

    /** The modules hv.devices may export its other packages to. */
    public static final Set<String> DEVICES_INTERNAL_READERS = Set.of("hv.hosts", "hv.tools");

    /** The services a plugin provides: one of these, at least, once it has code. */
    public static final Set<String> PLUGIN_SERVICES = Set.of("hv.api.device.DeviceProvider", "hv.api.net.NetworkBackendProvider");

    /** The layer a module of ours belongs to, or empty for a module the layering does not know. */
    public static Optional<Layer> of(String moduleName) {
        for (Layer l : CORE) {
            if (l.name.equals(moduleName)) {
                return Optional.of(l);
            }
        }
        if (moduleName.startsWith(PLUGIN_PREFIX) && moduleName.length() > PLUGIN_PREFIX.length()) {
            return Optional.of(NETWORK_PLUGIN_MODULES.contains(moduleName) ? NETWORK_PLUGIN : PLUGIN);
        }
        return Optional.empty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    public boolean isPlugin() {
        return name.equals("hv.plugin");
    }

    /** Whether {@code module} may appear in a requires clause of this layer. */
    public boolean allowsRequire(String module) {
        if (module.startsWith("java.")) {
            return true;
        }
        for (String allowed : mayRequire) {
            if (allowed.endsWith(".*") ? module.startsWith(allowed.substring(0, allowed.length() - 1)) : module.equals(allowed)) {
                return true;
            }
        }
        return false;
    }
}
