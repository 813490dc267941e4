package hv.architecture;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Opens;
import java.lang.module.ModuleDescriptor.Provides;
import java.lang.module.ModuleDescriptor.Requires;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layering, checked on module descriptors (what the JVM enforces at run time, and what
 * ArchUnit cannot see): requires, exports, opens, uses and provides of one module, against
 * {@link Layer}. Returns one line per violation, so a test can show all of them at once and a
 * fixture test can look for the one it provoked.
 */
public final class ModuleRules {

    private ModuleRules() {
    }

    public static List<String> violations(ModuleDescriptor d) {
        List<String> out = new ArrayList<>();
        String name = d.name();
        Optional<Layer> maybeLayer = Layer.of(name);
        if (maybeLayer.isEmpty()) {
            out.add(name + ": not a module of the layering table (core: " + coreNames() + ", or hv.plugin.<name>)");
            return out;
        }
        Layer layer = maybeLayer.get();
        if (d.isOpen() || d.isAutomatic()) {
            out.add(name + ": must be an explicit, non-open module (state is never reached by reflection)");
        }
        checkPackages(d, out);
        checkRequires(d, layer, out);
        checkExports(d, layer, out);
        checkOpens(d, layer, out);
        checkServices(d, layer, out);
        return out;
    }

    /** Module hv.x owns packages hv.x and hv.x.*: the ArchUnit rules identify modules by that prefix. */
    private static void checkPackages(ModuleDescriptor d, List<String> out) {
        for (String p : new TreeSet<>(d.packages())) {
            if (!p.equals(d.name()) && !p.startsWith(d.name() + ".")) {
                out.add(d.name() + ": package " + p + " is outside the module's namespace " + d.name() + ".*");
            }
        }
    }

    private static void checkRequires(ModuleDescriptor d, Layer layer, List<String> out) {
        for (Requires r : d.requires()) {
            if (r.modifiers().contains(Requires.Modifier.MANDATED)) {
                continue; // the implicit java.base
            }
            if (!layer.allowsRequire(r.name())) {
                String why = r.name().equals("jdk.unsupported") ? " (sun.misc.Unsafe is forbidden everywhere)"
                        : " (allowed: java.*" + (layer.mayRequire().isEmpty() ? "" : ", " + String.join(", ", new TreeSet<>(layer.mayRequire()))) + ")";
                out.add(d.name() + ": requires " + r.name() + why);
            }
        }
        if (layer.isPlugin() && !d.packages().isEmpty() && d.requires().stream().noneMatch(r -> r.name().equals("hv.api"))) {
            out.add(d.name() + ": a plugin with code must require hv.api");
        }
    }

    private static void checkExports(ModuleDescriptor d, Layer layer, List<String> out) {
        for (Exports e : d.exports()) {
            if (layer.isPlugin()) {
                out.add(d.name() + ": exports " + e.source() + ", but a plugin exports nothing (ServiceLoader needs no export)");
            } else if (layer == Layer.DEVICES) {
                boolean authorPackage = Layer.DEVICE_AUTHOR_PACKAGES.contains(e.source());
                if (!authorPackage && !e.isQualified()) {
                    out.add(d.name() + ": exports " + e.source() + " to everyone; only the device-author packages "
                            + new TreeSet<>(Layer.DEVICE_AUTHOR_PACKAGES) + " may be, the rest only to "
                            + new TreeSet<>(Layer.DEVICES_INTERNAL_READERS));
                } else if (!authorPackage && !Layer.DEVICES_INTERNAL_READERS.containsAll(e.targets())) {
                    out.add(d.name() + ": exports " + e.source() + " to " + new TreeSet<>(e.targets()) + "; only "
                            + new TreeSet<>(Layer.DEVICES_INTERNAL_READERS) + " may read hv.devices internals");
                } else if (authorPackage && e.isQualified()) {
                    out.add(d.name() + ": " + e.source() + " is a device-author package and must be exported to everyone");
                }
            }
        }
        if (layer == Layer.DEVICES) {
            for (String author : new TreeSet<>(Layer.DEVICE_AUTHOR_PACKAGES)) {
                boolean mustExport = author.equals(Layer.VIRTIO_PACKAGE) || d.packages().contains(author);
                if (mustExport && d.exports().stream().noneMatch(e -> e.source().equals(author))) {
                    out.add(d.name() + ": must export the device-author package " + author);
                }
            }
        }
    }

    /** Only the launcher opens a package, and only to picocli (which injects options by reflection). */
    private static void checkOpens(ModuleDescriptor d, Layer layer, List<String> out) {
        for (Opens o : d.opens()) {
            if (layer != Layer.TOOLS || !o.isQualified() || !Set.of("info.picocli").containsAll(o.targets())) {
                out.add(d.name() + ": opens " + o.source() + (o.isQualified() ? " to " + new TreeSet<>(o.targets()) : "")
                        + "; only hv.tools may open, and only to info.picocli");
            }
        }
    }

    private static void checkServices(ModuleDescriptor d, Layer layer, List<String> out) {
        for (String service : new TreeSet<>(d.uses())) {
            if (!service.startsWith("hv.api.")) {
                out.add(d.name() + ": uses " + service + "; services are defined in hv.api only");
            }
        }
        for (Provides p : d.provides()) {
            boolean ok = layer.isPlugin() ? Layer.PLUGIN_SERVICES.contains(p.service()) : p.service().startsWith("hv.api.");
            if (!ok) {
                out.add(d.name() + ": provides " + p.service() + "; "
                        + (layer.isPlugin() ? "a plugin provides only " + new TreeSet<>(Layer.PLUGIN_SERVICES) : "services are defined in hv.api only"));
            }
        }
        if (layer.isPlugin() && !d.packages().isEmpty()
                && d.provides().stream().noneMatch(p -> Layer.PLUGIN_SERVICES.contains(p.service()))) {
            out.add(d.name() + ": a plugin with code must provide one of " + new TreeSet<>(Layer.PLUGIN_SERVICES));
        }
    }

    private static String coreNames() {
        return String.join(", ", Layer.CORE.stream().map(Layer::name).toList());
    }
}
