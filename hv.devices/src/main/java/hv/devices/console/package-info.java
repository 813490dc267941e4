/**
 * The guest console's input side, shared by the UART and virtio-console plugins: a reader thread
 * that takes bytes from {@link hv.api.device.HostConsole#input()}, handles the Ctrl-A escape
 * (Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A) and hands the rest to the device through a
 * lock-free queue. Device-author package.
 *
 * <p>May touch: hv.api, hv.devices.queues. Must never come in: terminal mode switching (the
 * launcher owns raw mode), guest memory.
 */
package hv.devices.console;
