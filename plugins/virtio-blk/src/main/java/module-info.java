/** Device plugin: virtio-blk. Sees only hv.api and hv.devices.virtio. */
module hv.plugin.virtio.blk {
    requires hv.api;
    requires hv.devices;
}
