/** Device plugin: virtio-console, one port on the host console (the guest's hvc0). Sees hv.api and hv.devices' device-author packages. */
module hv.plugin.virtio.console {
    requires hv.api;
    requires hv.devices;

    provides hv.api.device.DeviceProvider with hv.plugin.virtio.console.VirtioConsoleProvider;
}
