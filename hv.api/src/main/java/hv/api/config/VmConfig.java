package hv.api.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything that defines a VM before it starts, as given on the command line.
 *
 * @param name        stable name (device MACs derive from it)
 * @param cpus        number of harts, 1..{@link #MAX_CPUS}
 * @param memoryBytes guest RAM size, placed at 0x80000000
 * @param kernel      kernel Image or ELF
 * @param initrd      optional initramfs
 * @param append      kernel command line
 * @param bios        firmware: empty = HV's built-in SBI (hypervisor mode); "none" = start at the kernel in M-mode; else a file
 * @param devices     device specs in command-line order ({@code type,key=value,...})
 * @param pluginDirs  extra plugin folders
 * @param stats       print exit/MMU statistics when the VM ends
 * @param noReboot    exit instead of rebooting when the guest asks for a reset
 */
public record VmConfig(String name, int cpus, long memoryBytes, Path kernel, Optional<Path> initrd, String append,
                       Optional<String> bios, List<String> devices, List<Path> pluginDirs, boolean stats, boolean noReboot) {

    public static final int MAX_CPUS = 8;
    public static final long MIN_MEMORY = 16L << 20;

    public VmConfig {
        devices = List.copyOf(devices);
        pluginDirs = List.copyOf(pluginDirs);
    }
}
