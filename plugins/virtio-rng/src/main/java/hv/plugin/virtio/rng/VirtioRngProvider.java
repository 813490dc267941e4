package hv.plugin.virtio.rng;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;
import hv.devices.virtio.VirtioMmioDevice;

import java.util.List;

/** {@code --device virtio-rng}: the guest's /dev/hwrng. */
public final class VirtioRngProvider implements DeviceProvider {

    @Override
    public String type() {
        return "virtio-rng";
    }

    @Override
    public String description() {
        return "virtio entropy device fed by the host's SecureRandom";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION; // compiled into this class: HV checks it matches its own
    }

    @Override
    public Placement placement() {
        return Placement.virtioSlot(); // the next free virtio-mmio slot
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        return new VirtioMmioDevice(context, new VirtioRng());
    }
}
