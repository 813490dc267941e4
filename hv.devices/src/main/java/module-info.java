/**
 * The machine's buses and platform devices (PLIC, ACLINT), the device tree, the virtio-mmio
 * transport and virtqueues, lock-free device queues, and plugin discovery. Requires hv.api and
 * JCTools; never hv.cpu or hv.memory internals. hv.devices.virtio is the device-author package
 * plugins may use; the rest is for hv.hosts only.
 */
module hv.devices {
    requires transitive hv.api;
    requires org.jctools.core;

    uses hv.api.device.DeviceProvider;

    exports hv.devices.virtio;
    exports hv.devices.plugins to hv.hosts, hv.tools;
}
