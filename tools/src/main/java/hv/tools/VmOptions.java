package hv.tools;

import hv.api.config.VmConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The options that define a VM, shared by {@code hv run} and {@code hv dtb}. */
final class VmOptions {

    @Option(names = "--kernel", paramLabel = "FILE", description = "Kernel: a RISC-V Linux Image, or an ELF (bare-metal, with --bios none).")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk (initramfs).")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line (default: ${DEFAULT-VALUE}).", defaultValue = "console=ttyS0")
    String append;

    @Option(names = "--cpus", paramLabel = "N", description = "Number of vCPUs, 1..8 (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Guest RAM, e.g. 512M or 2G (default: ${DEFAULT-VALUE}).", defaultValue = "512M")
    String memory;

    @Option(names = "--disk", paramLabel = "FILE[,readonly=on]", description = "A raw disk image on virtio-blk (repeatable).")
    List<String> disks = new ArrayList<>();

    @Option(names = "--device", paramLabel = "TYPE[,key=value...]", description = "A device from a plugin (repeatable); see `hv devices`.")
    List<String> devices = new ArrayList<>();

    @Option(names = "--net", paramLabel = "BACKEND[,key=value...]", description = "A virtio-net NIC on a backend: stream,listen=H:P | stream,connect=H:P | dgram,local=H:P,remote=H:P | switch,connect=H:P (repeatable).")
    List<String> nets = new ArrayList<>();

    @Option(names = "--plugins", paramLabel = "DIR", description = "Extra plugin folder (repeatable).")
    List<Path> pluginDirs = new ArrayList<>();

    @Option(names = "--bios", paramLabel = "FILE|none", description = "Firmware (e.g. OpenSBI fw_dynamic), or none: start at the kernel in M-mode. Default: HV's built-in SBI.")
    String bios;

    @Option(names = "--name", paramLabel = "NAME", description = "VM name; NIC MACs derive from it (default: ${DEFAULT-VALUE}).", defaultValue = "hv")
    String name;

    @Option(names = "--stats", description = "Print exit, MMU and device statistics to stderr when the VM ends.")
    boolean stats;

    @Option(names = "--no-reboot", description = "Exit (status 4) instead of rebooting when the guest resets.")
    boolean noReboot;

    VmConfig toConfig(boolean needKernel) {
        if (cpus < 1 || cpus > VmConfig.MAX_CPUS) {
            throw new UserError("--cpus " + cpus + ": must be between 1 and " + VmConfig.MAX_CPUS);
        }
        long bytes = MemorySize.parse("--memory", memory);
        if (bytes < VmConfig.MIN_MEMORY) {
            throw new UserError("--memory " + memory + ": at least 16M is needed");
        }
        if (bytes % 4096 != 0) {
            throw new UserError("--memory " + memory + ": must be a multiple of 4K");
        }
        if (kernel == null && needKernel) {
            throw new UserError("--kernel FILE is required", ExitCodes.USAGE);
        }
        if (kernel != null) {
            requireReadable("--kernel", kernel);
        }
        if (initrd != null) {
            requireReadable("--initrd", initrd);
        }
        if (bios != null && !bios.equals("none")) {
            requireReadable("--bios", Path.of(bios));
        }
        List<String> all = new ArrayList<>();
        for (String disk : disks) {
            all.add("virtio-blk,file=" + disk);
        }
        all.addAll(devices);
        for (String net : nets) {
            all.add("virtio-net,net=" + net);
        }
        return new VmConfig(name, cpus, bytes, kernel, Optional.ofNullable(initrd), append, Optional.ofNullable(bios),
                all, pluginDirs, stats, noReboot);
    }

    private static void requireReadable(String option, Path p) {
        if (!Files.isRegularFile(p)) {
            throw new UserError(option + " " + p + ": no such file");
        }
        if (!Files.isReadable(p)) {
            throw new UserError(option + " " + p + ": not readable");
        }
    }
}
