package hv.plugin.virtio.console;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;
import hv.devices.virtio.VirtioMmioDevice;

import java.util.List;

/** {@code --device virtio-console[,input=off]}: the guest's /dev/hvc0 on the host console. */
public final class VirtioConsoleProvider implements DeviceProvider {

    @Override
    public String type() {
        return "virtio-console";
    }

    @Override
    public String description() {
        return "virtio console (hvc0) on the host console; Ctrl-A x quits";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Placement placement() {
        return Placement.virtioSlot();
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.optional("input",
                "off: do not read host keystrokes (when another device, e.g. the UART, owns console input)"));
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        return new VirtioMmioDevice(context, new VirtioConsole(context, options.flag("input", true)));
    }
}
