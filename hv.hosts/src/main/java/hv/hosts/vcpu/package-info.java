/**
 * vCPU threads: each hart runs on its own host thread as a small state machine (Running, Paused,
 * Stopped for SBI HSM, Finished) fed by a mailbox, after Firecracker's vCPU design. The thread
 * handles the hart's exits (SBI ecalls, WFI, budget, debug stops) and nothing else; a debugger
 * (hv.hosts.debug) steps a paused hart with the Step command and hears of breakpoint and step
 * stops through a DebugListener, all-stop being the debugger's decision. VcpuAssistHub lends the
 * threads' time between slices to device work; VcpuThrottle slows them down for a live
 * migration's auto-converge.
 *
 * <p>The vCPU threads also lend themselves to device work that never blocks
 * ({@link hv.hosts.vcpu.VcpuAssistHub}, the machine's hv.api VcpuAssist): between runs of its hart
 * a vCPU runs the drains devices asked for, so a packet does not wait for a device thread to wake.
 *
 * <p>May touch: hv.cpu (the hart), the SBI handler, the VM's outcome sink. Must never come in:
 * device classes (devices are reached through the bus inside the hart's memory accesses).
 */
package hv.hosts.vcpu;
