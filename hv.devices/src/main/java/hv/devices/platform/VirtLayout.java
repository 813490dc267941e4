package hv.devices.platform;

/**
 * The guest-physical memory map and interrupt numbers of QEMU's {@code virt} machine
 * (hw/riscv/virt.c, as documented in QEMU's "RISC-V virt board" page). A guest built for
 * {@code virt} probes these addresses through the device tree, but firmware and early
 * consoles often hard-code them, so HV keeps them identical.
 */
public final class VirtLayout {

    /** SiFive test device ("syscon"): poweroff/reboot. */
    public static final long SYSCON_BASE = 0x0010_0000L;
    public static final long SYSCON_SIZE = 0x1000L;

    /** Goldfish real-time clock. */
    public static final long RTC_BASE = 0x0010_1000L;
    public static final long RTC_SIZE = 0x1000L;
    public static final int RTC_IRQ = 11;

    /** CLINT / ACLINT (MSWI + MTIMER). */
    public static final long CLINT_BASE = 0x0200_0000L;
    public static final long CLINT_SIZE = 0x1_0000L;

    /** Platform-level interrupt controller. */
    public static final long PLIC_BASE = 0x0c00_0000L;
    /** QEMU reserves 0x600000 bytes whatever the hart count; the tree says the same. */
    public static final long PLIC_SIZE = 0x60_0000L;
    /** Highest PLIC source number ({@code riscv,ndev}); QEMU 7.2 advertises 96. */
    public static final int PLIC_NDEV = 96;

    /** NS16550A UART. */
    public static final long UART_BASE = 0x1000_0000L;
    public static final long UART_SIZE = 0x100L;
    public static final int UART_IRQ = 10;

    /** virtio-mmio slots: base + stride * i, IRQ first + i. */
    public static final long VIRTIO_BASE = 0x1000_1000L;
    public static final long VIRTIO_STRIDE = 0x1000L;
    public static final long VIRTIO_SIZE = 0x1000L;
    public static final int VIRTIO_FIRST_IRQ = 1;
    public static final int VIRTIO_SLOTS = 8;

    /** Guest RAM starts here. */
    public static final long RAM_BASE = 0x8000_0000L;

    private VirtLayout() {
    }

    /** The MMIO base of virtio slot {@code i} (0-based). */
    public static long virtioBase(int slot) {
        checkSlot(slot);
        return VIRTIO_BASE + VIRTIO_STRIDE * slot;
    }

    /** The PLIC source of virtio slot {@code i} (0-based). */
    public static int virtioIrq(int slot) {
        checkSlot(slot);
        return VIRTIO_FIRST_IRQ + slot;
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= VIRTIO_SLOTS) {
            throw new IllegalArgumentException("virtio slot " + slot + " out of range 0.." + (VIRTIO_SLOTS - 1));
        }
    }
}
