/** Device plugin: virtio-console. Sees only hv.api and hv.devices.virtio. */
module hv.plugin.virtio.console {
    requires hv.api;
    requires hv.devices;
}
