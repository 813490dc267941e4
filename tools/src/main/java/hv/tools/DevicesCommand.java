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
        for (String error : catalog.errors()) {
            System.err.println("hv: plugin: " + error);
        }
    }
}
