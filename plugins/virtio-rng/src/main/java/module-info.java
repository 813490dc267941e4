/** Device plugin: virtio-rng. Sees only hv.api and hv.devices.virtio. */
module hv.plugin.virtio.rng {
    requires hv.api;
    requires hv.devices;
}
