/**
 * Helpers for authors of virtio device plugins: the virtio-mmio transport (version 2) and split
 * virtqueues with descriptor chains checked at access time.
 */
package hv.devices.virtio;
