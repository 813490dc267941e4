package hv.devices.fdt;

import hv.api.device.Device;
import hv.devices.platform.VirtLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Generates the device tree of a QEMU-{@code virt}-shaped machine (compare with
 * {@code qemu-system-riscv64 -M virt,dumpdtb=FILE}): /cpus with one node per hart and its
 * local interrupt controller, /memory, /soc with the PLIC and CLINT followed by each device's
 * own node ({@link Device#describe}), /chosen, and /poweroff + /reboot pointing at the syscon.
 *
 * <p>Devices are described in the order given; give virtio devices in slot order so the first
 * disk on the command line becomes {@code /dev/vda}.
 */
public final class VirtMachineTree {

    /** The ISA HV's harts implement, in the legacy single-string form. */
    public static final String DEFAULT_ISA = "rv64imafdc_zicsr_zifencei_zicntr_zihpm_zba_zbb_zbs_sstc";
    public static final String DEFAULT_MMU = "riscv,sv57";

    private int harts = 1;
    private long memoryBase = VirtLayout.RAM_BASE;
    private long memorySize = 128L << 20;
    private String isa = DEFAULT_ISA;
    private String mmuType = DEFAULT_MMU;
    private long timebaseFrequency = 10_000_000L;
    private int plicNdev = VirtLayout.PLIC_NDEV;
    private String bootargs = "";
    private String stdoutPath;
    private long initrdStart = -1;
    private long initrdEnd = -1;
    private byte[] rngSeed;
    private final Map<String, Device> devices = new LinkedHashMap<>();

    public VirtMachineTree harts(int count) {
        if (count < 1 || count > 4095) {
            throw new IllegalArgumentException("harts must be 1..4095: " + count);
        }
        this.harts = count;
        return this;
    }

    public VirtMachineTree memory(long base, long size) {
        this.memoryBase = base;
        this.memorySize = size;
        return this;
    }

    /** The legacy {@code riscv,isa} string; base and extensions are derived from it. */
    public VirtMachineTree isa(String isaString) {
        IsaString.parse(isaString); // validate early
        this.isa = isaString;
        return this;
    }

    /** e.g. {@code riscv,sv39}, {@code riscv,sv48}, {@code riscv,sv57}. */
    public VirtMachineTree mmuType(String mmu) {
        this.mmuType = Objects.requireNonNull(mmu);
        return this;
    }

    public VirtMachineTree timebaseFrequency(long hz) {
        this.timebaseFrequency = hz;
        return this;
    }

    public VirtMachineTree plicNdev(int ndev) {
        this.plicNdev = ndev;
        return this;
    }

    public VirtMachineTree bootargs(String args) {
        this.bootargs = Objects.requireNonNull(args);
        return this;
    }

    /** Overrides the default stdout-path (the first ns16550a node under /soc). */
    public VirtMachineTree stdoutPath(String path) {
        this.stdoutPath = path;
        return this;
    }

    /** The initrd occupies guest-physical [start, end). */
    public VirtMachineTree initrd(long start, long end) {
        if (end < start) {
            throw new IllegalArgumentException("initrd end before start");
        }
        this.initrdStart = start;
        this.initrdEnd = end;
        return this;
    }

    /** Entropy for the kernel's early RNG ({@code /chosen/rng-seed}); none by default. */
    public VirtMachineTree rngSeed(byte[] seed) {
        this.rngSeed = seed.clone();
        return this;
    }

    /** A device that will add its own node under /soc; {@code name} is only for error messages. */
    public VirtMachineTree device(String name, Device device) {
        if (devices.putIfAbsent(name, device) != null) {
            throw new IllegalArgumentException("device " + name + " added twice");
        }
        return this;
    }

    /** Builds the tree (devices describe themselves now). */
    public DeviceTree build() {
        DeviceTree tree = new DeviceTree();
        FdtNode root = tree.root();
        root.property("#address-cells", 2);
        root.property("#size-cells", 2);
        root.property("compatible", "riscv-virtio");
        root.property("model", "riscv-virtio,hv");

        FdtNode chosen = root.child("chosen"); // filled last: stdout-path needs the devices
        root.child("memory@" + Long.toHexString(memoryBase))
                .property("device_type", "memory")
                .reg(memoryBase, memorySize);

        List<FdtNode> intcs = cpus(root);

        FdtNode soc = root.child("soc");
        soc.property("#address-cells", 2);
        soc.property("#size-cells", 2);
        soc.property("compatible", "simple-bus");
        soc.flag("ranges");

        FdtNode plic = soc.child("plic@" + Long.toHexString(VirtLayout.PLIC_BASE));
        plic.property("#address-cells", 0);
        plic.property("#interrupt-cells", 1);
        plic.property("compatible", "sifive,plic-1.0.0", "riscv,plic0");
        plic.flag("interrupt-controller");
        plic.property("interrupts-extended", perHart(intcs, 11, 9)); // MEIP then SEIP: context 2h, 2h+1
        plic.reg(VirtLayout.PLIC_BASE, VirtLayout.PLIC_SIZE);
        plic.property("riscv,ndev", plicNdev);
        tree.setInterruptParent(plic);

        soc.child("clint@" + Long.toHexString(VirtLayout.CLINT_BASE))
                .property("compatible", "sifive,clint0", "riscv,clint0")
                .property("interrupts-extended", perHart(intcs, 3, 7)) // MSIP, MTIP
                .reg(VirtLayout.CLINT_BASE, VirtLayout.CLINT_SIZE);

        for (Map.Entry<String, Device> d : devices.entrySet()) {
            try {
                d.getValue().describe(soc);
            } catch (RuntimeException e) {
                throw new IllegalStateException("device " + d.getKey() + " could not describe itself: " + e.getMessage(), e);
            }
        }

        if (!bootargs.isEmpty()) {
            chosen.property("bootargs", bootargs);
        }
        String out = stdoutPath != null ? stdoutPath
                : soc.findCompatible("ns16550a").map(FdtNode::path).orElse(null);
        if (out != null) {
            chosen.property("stdout-path", out);
        }
        if (initrdStart >= 0) {
            chosen.propertyU64("linux,initrd-start", initrdStart);
            chosen.propertyU64("linux,initrd-end", initrdEnd);
        }
        if (rngSeed != null) {
            chosen.property("rng-seed", rngSeed);
        }

        Optional<FdtNode> syscon = soc.findCompatible("syscon");
        if (syscon.isPresent()) {
            int regmap = syscon.get().phandle();
            root.child("poweroff").property("compatible", "syscon-poweroff")
                    .property("regmap", regmap).property("offset", 0).property("value", 0x5555);
            root.child("reboot").property("compatible", "syscon-reboot")
                    .property("regmap", regmap).property("offset", 0).property("value", 0x7777);
        }
        return tree;
    }

    public byte[] toDtb() {
        return build().toDtb(0);
    }

    /** /cpus; returns each hart's interrupt-controller node, in hart order. */
    private List<FdtNode> cpus(FdtNode root) {
        IsaString parsed = IsaString.parse(isa);
        FdtNode cpus = root.child("cpus");
        cpus.property("#address-cells", 1);
        cpus.property("#size-cells", 0);
        cpus.property("timebase-frequency", (int) timebaseFrequency);
        List<FdtNode> intcs = new ArrayList<>();
        List<FdtNode> cpuNodes = new ArrayList<>();
        for (int h = 0; h < harts; h++) {
            FdtNode cpu = cpus.child("cpu@" + Integer.toHexString(h));
            cpu.phandle();
            cpu.property("device_type", "cpu");
            cpu.property("reg", h);
            cpu.property("status", "okay");
            cpu.property("compatible", "riscv");
            cpu.property("riscv,isa", isa);
            cpu.property("riscv,isa-base", parsed.base());
            cpu.property("riscv,isa-extensions", parsed.extensions().toArray(new String[0]));
            cpu.property("mmu-type", mmuType);
            FdtNode intc = cpu.child("interrupt-controller");
            intc.property("#address-cells", 0); // dtc's interrupt_provider check wants it
            intc.property("#interrupt-cells", 1);
            intc.flag("interrupt-controller");
            intc.property("compatible", "riscv,cpu-intc");
            intc.phandle();
            intcs.add(intc);
            cpuNodes.add(cpu);
        }
        FdtNode cluster = cpus.child("cpu-map").child("cluster0");
        for (int h = 0; h < harts; h++) {
            cluster.child("core" + h).property("cpu", cpuNodes.get(h).phandle());
        }
        return intcs;
    }

    private static int[] perHart(List<FdtNode> intcs, int first, int second) {
        int[] cells = new int[intcs.size() * 4];
        for (int h = 0; h < intcs.size(); h++) {
            int ph = intcs.get(h).phandle();
            cells[h * 4] = ph;
            cells[h * 4 + 1] = first;
            cells[h * 4 + 2] = ph;
            cells[h * 4 + 3] = second;
        }
        return cells;
    }
}
