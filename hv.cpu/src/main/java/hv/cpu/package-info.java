/**
 * The RV64GC hart: decode, interpreter, CSRs, privilege levels, traps and exits to the VMM.
 *
 * <ul>
 * <li>{@link hv.cpu.Hart}: architectural state in public fields, {@code run(budget)} and the exits
 *     ({@link hv.cpu.ExitReason}), the thread-safe side ({@code link()}, {@code kick()},
 *     {@code flushDecodeCache()}, {@code requestTlbFlush()}, {@code awaitFlushes()}, {@code awaitInterrupt()}), traps,
 *     interrupts, xRET, WFI, snapshots.</li>
 * <li>{@link hv.cpu.HartConfig}: firmware, hypervisor (HV is the SBI) or process mode.</li>
 * <li>{@link hv.cpu.Breakpoints}: a debugger's breakpoints and watchpoints, one set per machine that
 *     the harts check themselves ({@code Hart.watchBreakpoints}, {@code Hart.step}, {@code ExitReason.DEBUG}):
 *     while it is not empty a hart runs one instruction at a time through the interpreter, so neither the
 *     decode cache nor translated regions can run past a breakpoint and guest memory is never patched.</li>
 * <li>Package-private: {@code Decoder}/{@code Rvc} (bits to packed entries, {@code Op}),
 *     {@code DecodeCache} (per-page decoded code, FENCE.I coherence), {@code Csr} (Zicsr and every
 *     CSR), {@code Ext} (Zba/Zbb/Zbs, A), {@code Fpu} (F/D register side, calling hv.cpu.fp),
 *     {@code IntMath} (M-extension corner cases).</li>
 * <li>The JIT (package-private, a {@code Jit} per hart; compiled regions are shared between the harts
 *     given one public {@code SharedRegions} through {@code Hart.shareTranslations}, keyed by the page's
 *     bytes): {@code Jit} (profiles
 *     block starts, translates hot ones, installs them in the decoded page), {@code RegionScanner}
 *     (which instructions of one page form a region), {@code RegionEmitter} (the region as a JVM class
 *     file, java.lang.classfile), {@code CompiledRegion} (base class of the generated hidden classes),
 *     {@code RegionRuntime} (MMU slow paths, CSR accesses and helpers the generated code calls). They live in this
 *     package, not a sub-package, because generated code and the translator use the hart's
 *     package-private state (registers, TLB arrays, decoded entries) and a sub-package would force
 *     those public in an exported package.</li>
 * </ul>
 *
 * <p>May touch: hv.api and hv.memory (and java.lang.classfile / java.lang.invoke for the JIT). Must never
 * come in: devices, hosts, threads of its own
 * (the VMM decides which host thread runs a hart), allocation or locks on the execute path.
 */
package hv.cpu;
