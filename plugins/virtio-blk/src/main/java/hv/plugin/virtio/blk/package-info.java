/**
 * virtio-blk (virtio 1.2 section 5.2) over a raw image file: 512-byte sectors, read, write,
 * flush, device id; read-only images; disk I/O on the device's own worker thread straight
 * between the file and guest memory.
 *
 * <p>May touch: hv.api, hv.devices.virtio, hv.devices.queues, java.nio file channels. Must never
 * come in: HV's core, disk I/O on a vCPU thread.
 */
package hv.plugin.virtio.blk;
