package hv.plugin.uart16550;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;

import java.util.List;

/** {@code --device uart16550}: the console UART at QEMU virt's address. */
public final class Uart16550Provider implements DeviceProvider {

    static final long BASE = 0x1000_0000L;
    static final long SIZE = 0x100L;
    static final int IRQ = 10;

    @Override
    public String type() {
        return "uart16550";
    }

    @Override
    public String description() {
        return "NS16550A UART at 0x10000000 (irq 10) on the host console; Ctrl-A x quits";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Placement placement() {
        return Placement.fixed(BASE, SIZE, IRQ);
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        return new Uart16550(context);
    }
}
