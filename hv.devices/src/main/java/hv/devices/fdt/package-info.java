/**
 * The flattened device tree: a node builder that implements hv.api's
 * {@link hv.api.device.DeviceTreeNode} (so plugins describe their own nodes), the DTB encoder
 * (Devicetree Specification v0.4, chapter 5 "Flattened Devicetree (DTB) Format"), and the
 * generator of the QEMU-{@code virt}-shaped tree of a whole machine.
 *
 * <p>May touch: hv.api and the JDK. Must never come in: hv.cpu, hv.memory, knowledge of
 * particular plugins beyond their compatible strings (the tree only looks a node up by
 * {@code compatible} to point /chosen and /poweroff at it). Exported to hv.hosts only.
 */
package hv.devices.fdt;
