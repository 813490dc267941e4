/**
 * The virtio-net device (virtio 1.2 section 5.1): a NIC frontend over any hv.api.net backend.
 *
 * <p>What lives here: the provider and its options ({@link hv.plugin.virtio.net.NicOptions}),
 * the device ({@link hv.plugin.virtio.net.VirtioNetDevice}: features, config space, queues),
 * the receive hand-off from the backend ({@link hv.plugin.virtio.net.RxPath}), the writer of
 * receive buffers ({@link hv.plugin.virtio.net.RxWriter}) and the MAC address rules
 * ({@link hv.plugin.virtio.net.MacAddress}).
 *
 * <p>Threads: the backend's thread (a Netty event loop) only copies frames into a bounded
 * lock-free queue and raises a signal; the device's worker thread alone touches guest memory
 * (receive and transmit rings); vCPU threads only raise signals (queue notify) and read the
 * config space. Nothing here blocks a vCPU.
 *
 * <p>May use hv.api and the device-author packages hv.devices.virtio and hv.devices.queues.
 * Must never see a socket, Netty, JCTools directly, or any other HV internals.
 */
package hv.plugin.virtio.net;
