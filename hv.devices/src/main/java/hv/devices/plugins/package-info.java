/**
 * Plugin discovery: every jar of the plugin folders in its own module layer, providers found with
 * ServiceLoader, every failure reported in one line naming the jar, the others still loaded.
 *
 * <p>May touch: hv.api's service interfaces, java.lang.module. Must never come in: plugin classes by
 * name, static registries.
 */
package hv.devices.plugins;
