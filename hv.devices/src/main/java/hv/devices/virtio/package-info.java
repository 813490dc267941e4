/**
 * Device-author package for virtio devices: the virtio-mmio transport version 2 (virtio 1.2
 * section 4.2.2), split virtqueues (section 2.7) with VIRTIO_F_VERSION_1, indirect descriptors
 * and EVENT_IDX, and the {@link hv.devices.virtio.VirtioDevice} interface a plugin implements.
 * Wrap a device with {@link hv.devices.virtio.VirtioMmioDevice} to get an hv.api
 * {@link hv.api.device.Device}.
 *
 * <p>Every descriptor chain is validated when it is popped (addresses in guest RAM, no address
 * overflow, no loops, readable before writable, indirect tables aligned, not nested, not too
 * large); a bad chain is completed with length 0, counted and logged once, or, when the ring
 * itself is broken, the device is marked DEVICE_NEEDS_RESET. Nothing the guest writes can make
 * code here throw or touch host memory outside guest RAM: all access goes through
 * {@link hv.api.device.GuestMemory}.
 *
 * <p>May touch: hv.api, hv.devices.queues, the JDK. Must never come in: hv.cpu, hv.memory,
 * host addresses, locks on the notify/interrupt path.
 */
package hv.devices.virtio;
