/** Device plugin: virtio-rng, entropy for the guest from the host's SecureRandom. Sees hv.api and hv.devices.virtio/queues. */
module hv.plugin.virtio.rng {
    requires hv.api;
    requires hv.devices;

    provides hv.api.device.DeviceProvider with hv.plugin.virtio.rng.VirtioRngProvider;
}
