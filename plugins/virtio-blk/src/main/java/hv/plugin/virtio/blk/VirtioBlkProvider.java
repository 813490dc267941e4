package hv.plugin.virtio.blk;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;
import hv.devices.virtio.VirtioMmioDevice;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** {@code --device virtio-blk,file=disk.img[,readonly=on][,serial=ID]}. */
public final class VirtioBlkProvider implements DeviceProvider {

    @Override
    public String type() {
        return "virtio-blk";
    }

    @Override
    public String description() {
        return "virtio block device on a raw image file (512-byte sectors)";
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
        return List.of(
                OptionSpec.required("file", "raw disk image"),
                OptionSpec.optional("readonly", "on: the guest cannot write (default off)"),
                OptionSpec.optional("serial", "device id the guest sees, up to 20 ASCII characters"));
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        Path file = Path.of(options.require("file"));
        boolean readonly = options.flag("readonly", false);
        String serial = options.get("serial").orElse("");
        if (serial.length() > VirtioBlk.ID_BYTES || !StandardCharsets.US_ASCII.newEncoder().canEncode(serial)) {
            throw new DeviceConfigException("virtio-blk: serial must be at most 20 ASCII characters: '" + serial + "'");
        }
        DiskImage disk = DiskImage.open(file, readonly);
        return new VirtioMmioDevice(context, new VirtioBlk(disk, serial));
    }
}
