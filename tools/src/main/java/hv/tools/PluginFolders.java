package hv.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The plugin folders to search: the default one ($HV_HOME/build/plugins, set by ./hv) plus those given. */
final class PluginFolders {
    private PluginFolders() {
    }

    static List<Path> withDefault(List<Path> extra) {
        List<Path> dirs = new ArrayList<>();
        String home = System.getenv("HV_HOME");
        Path def = home != null ? Path.of(home, "build", "plugins") : Path.of("build", "plugins");
        if (Files.isDirectory(def)) {
            dirs.add(def);
        }
        for (Path p : extra) {
            if (!dirs.contains(p)) {
                dirs.add(p);
            }
        }
        return dirs;
    }
}
