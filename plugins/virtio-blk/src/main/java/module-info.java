/** Device plugin: virtio-blk over a raw disk image. Sees hv.api and hv.devices.virtio/queues. */
module hv.plugin.virtio.blk {
    requires hv.api;
    requires hv.devices;

    provides hv.api.device.DeviceProvider with hv.plugin.virtio.blk.VirtioBlkProvider;
}
