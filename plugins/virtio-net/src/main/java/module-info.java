/** Device plugin: virtio-net. Sees only hv.api and hv.devices.virtio. */
module hv.plugin.virtio.net {
    requires hv.api;
    requires hv.devices;
}
