/**
 * Lock-free hand-off between vCPU threads and device backend threads: a single-threaded
 * {@link hv.devices.queues.DeviceWorker} fed through a JCTools MPSC queue, coalescing
 * {@link hv.devices.queues.Signal}s that never allocate, and byte/item queues for reader
 * threads. Device-author package: plugins use these instead of JCTools directly. A worker may
 * also have no thread and run its tasks on vCPU threads (hv.api's VcpuAssist) when they never block.
 *
 * <p>May touch: JCTools' {@code org.jctools.queues.atomic} variants only (the others use
 * sun.misc.Unsafe), the JDK. Must never come in: locks on the producer (vCPU) side, blocking
 * calls on a producer path, guest memory.
 */
package hv.devices.queues;
