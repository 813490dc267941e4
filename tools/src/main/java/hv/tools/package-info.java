/**
 * The {@code hv} launcher: picocli subcommands (demo, run, exec, dtb, devices, switch, ctl, version),
 * option parsing and validation, exit codes, the terminal's raw mode. The only code that writes to
 * the process's stdout/stderr itself; the guest console owns stdout while a VM runs.
 *
 * <p>May touch: hv.hosts, hv.procvm, hv.api, hv.devices.plugins, picocli, Netty (for the switch).
 * Must never come in: machine internals (harts, memory, devices) beyond those entry points.
 */
package hv.tools;
