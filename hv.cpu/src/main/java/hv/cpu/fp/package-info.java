/**
 * IEEE 754-2008 binary32/binary64 arithmetic with the exact semantics of the RISC-V F and D
 * extensions (unprivileged ISA, chapters "F" and "D"): five rounding modes, the five accrued
 * exception flags of fflags, the canonical NaN, fcvt saturation, fmin/fmax of version 2.2,
 * tininess detected after rounding, and fused multiply-add with a single rounding.
 *
 * <p>Values travel as raw bits ({@code long} for binary64, {@code int} for binary32) so that no
 * Java float semantics (NaN canonicalisation, signaling-NaN quieting by the host FPU) can leak
 * into the guest. The common case (round-to-nearest-even, normal operands) runs on the host's
 * IEEE double arithmetic plus error-free transformations; only hard cases take an exact
 * integer/BigInteger path.
 *
 * <p>May touch: java.base only. Must never come in: hart state, CSRs, decoding (the caller
 * resolves frm/dynamic rounding and raises illegal-instruction for reserved rm values), and
 * allocation or exceptions on the common path.
 */
package hv.cpu.fp;
