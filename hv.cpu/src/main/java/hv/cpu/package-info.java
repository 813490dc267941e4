/**
 * The RV64GC hart: decode, interpreter, CSRs, privilege levels, traps and exits to the VMM.
 *
 * <ul>
 * <li>{@link hv.cpu.Hart}: architectural state in public fields, {@code run(budget)} and the exits
 *     ({@link hv.cpu.ExitReason}), the thread-safe side ({@code link()}, {@code kick()},
 *     {@code flushDecodeCache()}, {@code requestTlbFlush()}, {@code awaitFlushes()}, {@code awaitInterrupt()}), traps,
 *     interrupts, xRET, WFI, snapshots.</li>
 * <li>{@link hv.cpu.HartConfig}: firmware, hypervisor (HV is the SBI) or process mode.</li>
 * <li>Package-private: {@code Decoder}/{@code Rvc} (bits to packed entries, {@code Op}),
 *     {@code DecodeCache} (per-page decoded code, FENCE.I coherence), {@code Csr} (Zicsr and every
 *     CSR), {@code Ext} (Zba/Zbb/Zbs, A), {@code Fpu} (F/D register side, calling hv.cpu.fp),
 *     {@code IntMath} (M-extension corner cases).</li>
 * </ul>
 *
 * <p>May touch: hv.api and hv.memory. Must never come in: devices, hosts, threads of its own
 * (the VMM decides which host thread runs a hart), allocation or locks on the execute path.
 */
package hv.cpu;
