/**
 * virtio-console (virtio 1.2 section 5.3) with a single port and no multiport feature:
 * receiveq0 carries host keystrokes to the guest, transmitq0 guest output to the host console.
 *
 * <p>May touch: hv.api, hv.devices.virtio, hv.devices.queues, hv.devices.console. Must never
 * come in: HV's core, console I/O on a vCPU thread.
 */
package hv.plugin.virtio.console;
