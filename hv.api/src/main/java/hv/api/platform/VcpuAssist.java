package hv.api.platform;

/**
 * Lets a device run short, non-blocking work on the VM's vCPU threads instead of on a thread of
 * its own. Why: every hand-off between host threads is a wake-up (a futex call, and on an idle
 * core an inter-processor interrupt, which on a small or virtualised host costs 0.1-1 ms). A
 * packet that goes NIC backend -> device thread -> vCPU pays two of them; with the device's work
 * on the vCPU thread it pays one, and the guest's own transmit notify pays none. KVM's in-kernel
 * devices and QEMU's vCPU-thread MMIO handlers do the same for the same reason.
 *
 * <p>The work must never block (no disk or console I/O: those keep their own threads), because
 * the guest does not run while it does. A drain runs on one thread at a time, never nested
 * inside a guest instruction (between runs of the hart only), and may run on any vCPU thread.
 */
public interface VcpuAssist {

    /**
     * Registers {@code drain}; the returned trigger asks for it to run soon. Called while the
     * machine is assembled.
     */
    Trigger register(String name, Runnable drain);

    /** Asks for a registered drain to run. */
    interface Trigger {
        /**
         * Lock-free and allocation-free, from any thread. On a vCPU thread (a guest MMIO write),
         * that vCPU runs the drain as soon as the current instruction's block ends; from any other
         * thread, a vCPU is woken (or interrupted at its next block boundary) to run it.
         */
        void request();
    }
}
