/**
 * The platform devices of the QEMU {@code virt} machine that live in HV itself rather than in a
 * plugin: the memory map ({@link hv.devices.platform.VirtLayout}), the SiFive-compatible PLIC,
 * the ACLINT/CLINT timer and software interrupts, and the machine clock (mtime).
 *
 * <p>May touch: hv.api (device SPI, platform links, state streams) and the JDK's atomics.
 * Must never come in: hv.cpu or hv.memory (harts are reached only through
 * {@link hv.api.platform.HartLink}), locks on a vCPU path, allocation per MMIO access.
 * Exported to hv.hosts only: the lead's machine assembly constructs these.
 */
package hv.devices.platform;
