/**
 * Device plugin: virtio-net (virtio 1.2 section 5.1) on a virtio-mmio slot. The NIC frontend:
 * it opens its backend (stream, dgram, switch, ...) through hv.api.net and moves frames between
 * it and the guest's virtqueues on its own worker thread. Sees only hv.api and the device-author
 * packages of hv.devices (virtio transport, worker and queues).
 */
module hv.plugin.virtio.net {
    requires hv.api;
    requires hv.devices;

    provides hv.api.device.DeviceProvider with hv.plugin.virtio.net.VirtioNetProvider;
}
