/**
 * The GDB stub ({@code hv run --gdb HOST:PORT [--gdb-wait]}): the GDB Remote Serial Protocol over
 * TCP, all-stop, one thread per hart, breakpoints in a per-machine set the harts check (guest memory
 * is never patched), memory through the selected hart's address translation.
 *
 * <ul>
 * <li>{@link hv.hosts.debug.GdbStub}: the listening socket and the connection loop (public: Machine starts it).</li>
 * <li>{@code GdbSession}: one connection's commands; {@code RspChannel}: packet framing, checksums,
 *     acks, escapes, Ctrl-C; {@code SessionEvent}: what a session waits for.</li>
 * <li>{@code HartControl}: all-stop pause/resume/step over the vCPU threads' mailboxes;
 *     {@code GuestMemoryAccess}: virtual/physical RAM reads and writes (writes revalidate decoded
 *     and translated code); {@code RiscvRegisters}: gdb's register numbering and target.xml.</li>
 * </ul>
 *
 * <p>May touch: hv.cpu (Hart, Breakpoints), hv.memory (GuestRam, Mmu's debug walk), hv.hosts.vcpu.
 * Must never come in: hv.hosts itself (Machine depends on this package, not the other way), device
 * access on gdb's behalf (MMIO reads have side effects), and any exception escaping into the VM:
 * a misbehaving debugger gets error replies or loses its connection, the guest runs on.
 */
package hv.hosts.debug;
