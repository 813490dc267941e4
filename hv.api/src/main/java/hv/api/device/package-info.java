/**
 * The device SPI. A plugin implements {@link hv.api.device.DeviceProvider} and registers it
 * with {@code provides hv.api.device.DeviceProvider with ...} in its module-info; HV finds it
 * with ServiceLoader over the plugin's module layer.
 *
 * <p>Threading: {@link hv.api.device.MmioHandler} methods run on vCPU threads and must never
 * block; work that may block (disk, network) goes to the device's own backend thread through a
 * queue. Guest memory is reached only through {@link hv.api.device.GuestMemory}, which checks
 * every access against guest RAM: a device never sees a host address.
 */
package hv.api.device;
