package hv.tools;

import hv.devices.plugins.PluginCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code hv devices}: lists every device plugin found, and every jar that failed to load. */
@Command(name = "devices", description = "List the device plugins found in the plugin folders.")
final class DevicesCommand implements Runnable {

    @Option(names = "--plugins", paramLabel = "DIR", description = "Extra plugin folder (repeatable); the default folder is always searched.")
    List<Path> pluginDirs = new ArrayList<>();

    @Override
    public void run() {
        PluginCatalog catalog = PluginCatalog.load(PluginFolders.withDefault(pluginDirs));
        System.out.printf("%-16s %-26s %-16s %s%n", "TYPE", "MODULE", "VERSION", "DESCRIPTION");
        for (PluginCatalog.Entry e : catalog.entries()) {
            System.out.printf("%-16s %-26s %-16s %s%n", e.provider().type(), e.module(), e.version(), e.provider().description());
        }
        if (!catalog.networkBackends().isEmpty()) {
            System.out.println();
            System.out.printf("%-16s %-26s %-16s %s%n", "NET BACKEND", "MODULE", "VERSION", "DESCRIPTION");
            catalog.networkBackends().forEach((type, provider) -> {
                var d = provider.getClass().getModule().getDescriptor();
                String module = d != null ? d.name() : "(class path)";
                String version = d != null ? d.rawVersion().orElse("-") : "-";
                System.out.printf("%-16s %-26s %-16s %s%n", type, module, version, provider.description());
            });
        }
        for (String error : catalog.errors()) {
            System.err.println("hv: plugin: " + error);
        }
    }
}
