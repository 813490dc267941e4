package hv.api.device;

/**
 * A node of the flattened device tree HV generates for the guest. A device adds its own
 * node (compatible, reg, interrupts, anything else) through this builder; HV fills in the
 * structure around it (the /soc bus, the interrupt parent's phandle).
 */
public interface DeviceTreeNode {

    DeviceTreeNode child(String name);

    DeviceTreeNode property(String name, String... strings);

    DeviceTreeNode property(String name, int... cells);

    DeviceTreeNode property(String name, byte[] raw);

    /** An empty (boolean) property. */
    DeviceTreeNode flag(String name);

    /** {@code reg = <base size>} in the parent's address/size cells (2 and 2 under /soc). */
    DeviceTreeNode reg(long base, long size);

    /** {@code interrupts-extended}/{@code interrupt-parent} and {@code interrupts} for a PLIC source. */
    DeviceTreeNode plicInterrupt(int irq);

    /** The phandle of this node, allocated on first use. */
    int phandle();
}
