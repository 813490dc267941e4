/**
 * An NS16550A UART at register level (National Semiconductor PC16550D data sheet: RBR/THR,
 * IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR, the DLAB divisor latch, 16-byte FIFOs, loopback),
 * connected to the host console: guest output goes to a writer thread, keystrokes come from a
 * reader thread through a lock-free queue, Ctrl-A x quits.
 *
 * <p>May touch: hv.api, hv.devices.console, hv.devices.queues. Must never come in: blocking
 * I/O on a vCPU thread, terminal mode switching (the launcher owns raw mode).
 */
package hv.plugin.uart16550;
