/**
 * The machine's platform devices (PLIC, CLINT, machine clock), the device tree, the virtio-mmio
 * transport and virtqueues, lock-free device queues, console input handling, and plugin
 * discovery. Requires hv.api and JCTools; never hv.cpu or hv.memory.
 *
 * <p>Device-author packages (exported to everyone, since plugins are unknown modules):
 * hv.devices.virtio (transport + virtqueues), hv.devices.queues (backend workers and lock-free
 * hand-off queues wrapping JCTools, so plugins never depend on JCTools themselves) and
 * hv.devices.console (host console input with the Ctrl-A escape). The rest is for hv.hosts
 * (and the launcher in hv.tools, which lists plugins).
 */
module hv.devices {
    requires transitive hv.api;
    requires org.jctools.core;

    uses hv.api.device.DeviceProvider;
    uses hv.api.net.NetworkBackendProvider;

    exports hv.devices.virtio;
    exports hv.devices.queues;
    exports hv.devices.console;
    exports hv.devices.platform to hv.hosts;
    exports hv.devices.fdt to hv.hosts;
    exports hv.devices.plugins to hv.hosts, hv.tools;
}
