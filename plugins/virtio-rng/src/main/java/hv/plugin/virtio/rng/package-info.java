/**
 * virtio-rng (virtio 1.2 section 5.4): one request queue; the device fills each device-writable
 * buffer with bytes from the host's {@link java.security.SecureRandom}. The worked example of
 * docs/writing-a-device-plugin.md.
 *
 * <p>May touch: hv.api, hv.devices.virtio, hv.devices.queues. Must never come in: HV's core.
 */
package hv.plugin.virtio.rng;
