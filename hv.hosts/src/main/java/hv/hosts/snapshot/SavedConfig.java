package hv.hosts.snapshot;

import hv.api.config.VmConfig;
import hv.api.state.StateException;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;
import hv.hosts.Machine;
import hv.hosts.ResumePoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The "config" section: what it takes to build the same machine again (harts, RAM size, boot
 * mode, device specs in bus order, the VM name that NIC MACs derive from) and where its harts
 * stand ({@link ResumePoint}). The kernel, initrd and command line are kept only so that a guest
 * reboot after a restore can load them again; a restore itself never reads them.
 */
public record SavedConfig(String name, int cpus, long memoryBytes, String kernel, String initrd, String append,
                          String bios, List<String> devices, long tohost, boolean[] running) {
    public static final int VERSION = 1;

    public SavedConfig {
        devices = List.copyOf(devices);
        running = running.clone();
    }

    /** The machine's configuration and resume point; call while it is paused. */
    public static SavedConfig of(Machine m) {
        VmConfig c = m.config();
        ResumePoint r = m.resumePoint();
        return new SavedConfig(c.name(), c.cpus(), c.memoryBytes(), c.kernel() == null ? "" : c.kernel().toString(),
                c.initrd().map(Path::toString).orElse(""), c.append() == null ? "" : c.append(), c.bios().orElse(""),
                c.devices(), r.tohost(), r.runningHarts());
    }

    public void write(StateWriter w) {
        w.putString(name);
        w.putInt(cpus);
        w.putLong(memoryBytes);
        w.putString(kernel);
        w.putString(initrd);
        w.putString(append);
        w.putString(bios);
        w.putInt(devices.size());
        for (String d : devices) {
            w.putString(d);
        }
        w.putLong(tohost);
        long bits = 0;
        for (int i = 0; i < running.length; i++) {
            bits |= running[i] ? 1L << i : 0;
        }
        w.putLong(bits);
    }

    public static SavedConfig read(StateReader r, int version) throws StateException {
        if (version != VERSION) {
            throw new StateException("config: unknown version " + version);
        }
        String name = r.getString();
        int cpus = r.getInt();
        long memory = r.getLong();
        if (cpus < 1 || cpus > VmConfig.MAX_CPUS) {
            throw new StateException("config: " + cpus + " harts (1.." + VmConfig.MAX_CPUS + " supported)");
        }
        if (memory < VmConfig.MIN_MEMORY || memory % 4096 != 0 || memory > (1L << 40)) {
            throw new StateException("config: impossible memory size " + memory);
        }
        String kernel = r.getString();
        String initrd = r.getString();
        String append = r.getString();
        String bios = r.getString();
        int n = r.getInt();
        if (n < 0 || n > 64) {
            throw new StateException("config: " + n + " devices");
        }
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            devices.add(r.getString());
        }
        long tohost = r.getLong();
        long bits = r.getLong();
        boolean[] running = new boolean[cpus];
        for (int i = 0; i < cpus; i++) {
            running[i] = (bits & (1L << i)) != 0;
        }
        return new SavedConfig(name, cpus, memory, kernel, initrd, append, bios, devices, tohost, running);
    }

    public ResumePoint resumePoint() {
        return new ResumePoint(tohost, running);
    }

    /**
     * The VmConfig to rebuild this machine with; {@code disks} and {@code nets} (as on the command
     * line) re-point the host backends of the saved virtio-blk and virtio-net devices, the n-th
     * option replacing the n-th such device's spec. The guest must see the same hardware, so
     * more overrides than devices of that type is an error.
     */
    public VmConfig toVmConfig(List<String> disks, List<String> nets, List<Path> pluginDirs, boolean stats,
                               boolean noReboot) throws SnapshotException {
        List<String> specs = new ArrayList<>(devices);
        replace(specs, "virtio-blk", "virtio-blk,file=", disks, "--disk");
        replace(specs, "virtio-net", "virtio-net,net=", nets, "--net");
        return new VmConfig(name, cpus, memoryBytes, kernel.isEmpty() ? null : Path.of(kernel),
                initrd.isEmpty() ? Optional.empty() : Optional.of(Path.of(initrd)), append,
                bios.isEmpty() ? Optional.empty() : Optional.of(bios), specs, pluginDirs, stats, noReboot);
    }

    private static void replace(List<String> specs, String type, String prefix, List<String> values, String option)
            throws SnapshotException {
        int next = 0;
        for (int i = 0; i < specs.size() && next < values.size(); i++) {
            String s = specs.get(i);
            if (s.equals(type) || s.startsWith(type + ",")) {
                specs.set(i, prefix + values.get(next++));
            }
        }
        if (next < values.size()) {
            throw new SnapshotException(option + " " + values.get(next) + ": the saved machine has only " + next + " "
                    + type + " device" + (next == 1 ? "" : "s") + " (a restored guest keeps its hardware)");
        }
    }

    @Override
    public boolean[] running() {
        return running.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SavedConfig c && c.name.equals(name) && c.cpus == cpus && c.memoryBytes == memoryBytes
                && c.kernel.equals(kernel) && c.initrd.equals(initrd) && c.append.equals(append) && c.bios.equals(bios)
                && c.devices.equals(devices) && c.tohost == tohost && java.util.Arrays.equals(c.running, running);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + devices.hashCode() + Long.hashCode(memoryBytes);
    }

    @Override
    public String toString() {
        return "SavedConfig[" + name + ", " + cpus + " harts, " + (memoryBytes >> 20) + " MiB, devices " + devices + "]";
    }
}
