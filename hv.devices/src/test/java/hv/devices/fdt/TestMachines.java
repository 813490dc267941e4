package hv.devices.fdt;

import hv.devices.platform.VirtLayout;
import hv.devices.testing.DescribeOnlyDevice;

/** A 2-hart, 512 MiB machine with the nodes the real plugins describe (UART, RTC, syscon, virtio). */
final class TestMachines {
    private TestMachines() {
    }

    static VirtMachineTree twoHarts() {
        VirtMachineTree t = new VirtMachineTree()
                .harts(2)
                .memory(VirtLayout.RAM_BASE, 512L << 20)
                .bootargs("console=ttyS0 earlycon")
                .initrd(0x8800_0000L, 0x8840_0000L);
        t.device("syscon", new DescribeOnlyDevice(soc -> soc.child("test@100000")
                .property("compatible", "sifive,test1", "sifive,test0", "syscon")
                .reg(VirtLayout.SYSCON_BASE, VirtLayout.SYSCON_SIZE)));
        t.device("rtc", new DescribeOnlyDevice(soc -> soc.child("rtc@101000")
                .property("compatible", "google,goldfish-rtc")
                .reg(VirtLayout.RTC_BASE, VirtLayout.RTC_SIZE)
                .plicInterrupt(VirtLayout.RTC_IRQ)));
        t.device("uart", new DescribeOnlyDevice(soc -> soc.child("serial@10000000")
                .property("compatible", "ns16550a")
                .property("clock-frequency", 3686400)
                .reg(VirtLayout.UART_BASE, VirtLayout.UART_SIZE)
                .plicInterrupt(VirtLayout.UART_IRQ)));
        for (int i = 0; i < 2; i++) {
            long base = VirtLayout.virtioBase(i);
            int irq = VirtLayout.virtioIrq(i);
            t.device("virtio" + i, new DescribeOnlyDevice(soc -> soc.child("virtio_mmio@" + Long.toHexString(base))
                    .property("compatible", "virtio,mmio")
                    .reg(base, VirtLayout.VIRTIO_SIZE)
                    .plicInterrupt(irq)));
        }
        return t;
    }
}
