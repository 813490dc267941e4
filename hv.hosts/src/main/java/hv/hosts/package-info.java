/**
 * The host side of a VM: machine assembly, vCPU threads, lifecycle, the built-in SBI, boot.
 *
 * <p>May touch: every core module. Must never come in: Netty (network lives in plugins and
 * tools), plugin classes by name (plugins are found only through ServiceLoader).
 */
package hv.hosts;
