package hv.tools;

import hv.api.config.VmConfig;
import hv.devices.plugins.PluginCatalog;
import hv.hosts.VirtualMachine;
import hv.hosts.VmConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code hv dtb}: writes the flattened device tree a VM with these options would get. */
@Command(name = "dtb", description = "Write the device tree (DTB) of a VM with the given run options; decode with `dtc -I dtb -O dts`.")
final class DtbCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    VmOptions options;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the DTB.")
    Path out;

    @Override
    public Integer call() {
        VmConfig config = options.toConfig(false);
        PluginCatalog catalog = PluginCatalog.load(PluginFolders.withDefault(config.pluginDirs()));
        for (String error : catalog.errors()) {
            System.err.println("hv: plugin: " + error);
        }
        byte[] dtb;
        try {
            dtb = VirtualMachine.deviceTree(config, catalog);
        } catch (VmConfigException e) {
            throw new UserError(e.getMessage());
        }
        try {
            Files.write(out, dtb);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot write: " + e.getMessage());
        }
        return ExitCodes.OK;
    }
}
