package hv.plugin.syscon;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;

import java.util.List;

/** {@code --device syscon}: poweroff/reboot for the guest, at QEMU virt's address. */
public final class SysconProvider implements DeviceProvider {

    /** QEMU virt's VIRT_TEST window. */
    static final long BASE = 0x10_0000L;
    static final long SIZE = 0x1000L;

    @Override
    public String type() {
        return "syscon";
    }

    @Override
    public String description() {
        return "SiFive test device at 0x100000: guest poweroff and reboot (syscon-poweroff/-reboot)";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    /** No interrupt: irq 0 is "none" (PLIC source 0 does not exist). */
    @Override
    public Placement placement() {
        return Placement.fixed(BASE, SIZE, 0);
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        return new SysconDevice(context);
    }
}
