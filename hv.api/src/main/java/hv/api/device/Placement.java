package hv.api.device;

/**
 * Where a device's MMIO window lives. Platform devices of QEMU's {@code virt} machine have fixed
 * addresses and interrupt numbers (a guest built for {@code virt} expects them there); virtio
 * devices take the next free virtio-mmio slot, in command-line order.
 */
public sealed interface Placement {

    /**
     * A fixed MMIO window and PLIC source, e.g. the NS16550A at 0x10000000, IRQ 10. IRQ 0 means
     * the device has no interrupt (PLIC source 0 does not exist; its line goes nowhere).
     */
    record Fixed(long base, long size, int irq) implements Placement {
        public Fixed {
            if (size <= 0 || (base & 0xfff) != 0) {
                throw new IllegalArgumentException("MMIO window must be page aligned and non-empty");
            }
        }
    }

    /** The next free virtio-mmio slot (0x10001000 + 0x1000 * i, IRQ 1 + i). */
    record VirtioSlot() implements Placement {
    }

    static Placement fixed(long base, long size, int irq) {
        return new Fixed(base, size, irq);
    }

    static Placement virtioSlot() {
        return new VirtioSlot();
    }
}
