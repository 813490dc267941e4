package hv.api.device;

import java.util.List;

/**
 * A factory for one device type, found by ServiceLoader. One provider, one registration:
 * everything HV needs to know of the device (its options, its placement, its device-tree
 * node) comes from here and from the {@link Device} it creates, so adding a device never
 * touches HV's core modules.
 */
public interface DeviceProvider {

    /** The SPI version this build of hv.api defines. Bumped on incompatible SPI changes. */
    int SPI_VERSION = 1;

    /** The device type users name on the command line, e.g. {@code virtio-blk}. Lower-case, no commas. */
    String type();

    /** One line for {@code ./hv devices}. */
    String description();

    /**
     * The SPI version the plugin was compiled against; HV refuses a provider whose version
     * differs. Implement it exactly as {@code return SPI_VERSION;}: javac copies the constant
     * into the plugin's own class file, which is how HV learns what the plugin was built for.
     * (A default method here would report the running HV's version, whatever the plugin saw.)
     */
    int spiVersion();

    /** Where the device goes in the guest-physical address map. */
    Placement placement();

    /** The options {@link #create} accepts; anything else is refused before the VM starts. */
    List<OptionSpec> options();

    /**
     * Creates one instance. Called before the VM starts, on the launcher thread.
     *
     * @throws DeviceConfigException when the options are wrong or a host resource (a disk image, say)
     *         cannot be opened; the message must name the problem in one line.
     */
    Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException;
}
