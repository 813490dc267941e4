package hv.cpu;

import static hv.cpu.Op.*;

import hv.memory.GuestRam;

/**
 * The less frequent integer instructions, kept out of the hot dispatch loop: the bit-manipulation
 * extensions Zba, Zbb and Zbs (unprivileged spec chapter 28) and the A extension (chapter 8).
 *
 * <h2>Atomics across host threads</h2>
 * Every LR/SC/AMO translates its address with {@link hv.memory.Mmu#translateAtomic} (which raises
 * the misaligned / access / page faults of privileged spec 3.6.3.3) and then operates on guest RAM
 * with the sequentially consistent atomic accessors of {@link GuestRam}, so aq/rl orderings are
 * always satisfied. An AMO is one getAndAdd/getAndSet or a compare-and-exchange loop.
 *
 * <p>LR records the reservation (RAM offset, size) and the value it loaded; SC succeeds only if the
 * reservation is still held by this hart, covers the same address and size, and a compare-and-exchange
 * from the loaded value to the new value succeeds. A store by another hart that changed the word
 * therefore makes the SC fail. A store that wrote back the very same value (ABA) is not detected:
 * the SC then succeeds, which is indistinguishable for the LR/SC sequences software uses (they
 * compute the new value from the loaded one) and is the approach QEMU takes too. Any trap clears the
 * reservation, and so does every SC (unprivileged spec 8.2).
 */
final class Ext {
    private Ext() {
    }

    static void execute(Hart h, long e) {
        final long[] x = h.x;
        long a = x[rs1(e)];
        switch (op(e)) {
            // --- Zba ---
            case ADD_UW -> x[rd(e)] = (a & 0xffff_ffffL) + x[rs2(e)];
            case SH1ADD -> x[rd(e)] = (a << 1) + x[rs2(e)];
            case SH2ADD -> x[rd(e)] = (a << 2) + x[rs2(e)];
            case SH3ADD -> x[rd(e)] = (a << 3) + x[rs2(e)];
            case SH1ADD_UW -> x[rd(e)] = ((a & 0xffff_ffffL) << 1) + x[rs2(e)];
            case SH2ADD_UW -> x[rd(e)] = ((a & 0xffff_ffffL) << 2) + x[rs2(e)];
            case SH3ADD_UW -> x[rd(e)] = ((a & 0xffff_ffffL) << 3) + x[rs2(e)];
            case SLLI_UW -> x[rd(e)] = (a & 0xffff_ffffL) << imm(e);
            // --- Zbb ---
            case ANDN -> x[rd(e)] = a & ~x[rs2(e)];
            case ORN -> x[rd(e)] = a | ~x[rs2(e)];
            case XNOR -> x[rd(e)] = ~(a ^ x[rs2(e)]);
            case CLZ -> x[rd(e)] = Long.numberOfLeadingZeros(a);
            case CLZW -> x[rd(e)] = Integer.numberOfLeadingZeros((int) a);
            case CTZ -> x[rd(e)] = Long.numberOfTrailingZeros(a);
            case CTZW -> x[rd(e)] = Integer.numberOfTrailingZeros((int) a);
            case CPOP -> x[rd(e)] = Long.bitCount(a);
            case CPOPW -> x[rd(e)] = Integer.bitCount((int) a);
            case MAX -> x[rd(e)] = Math.max(a, x[rs2(e)]);
            case MAXU -> {
                long b = x[rs2(e)];
                x[rd(e)] = Long.compareUnsigned(a, b) >= 0 ? a : b;
            }
            case MIN -> x[rd(e)] = Math.min(a, x[rs2(e)]);
            case MINU -> {
                long b = x[rs2(e)];
                x[rd(e)] = Long.compareUnsigned(a, b) <= 0 ? a : b;
            }
            case SEXT_B -> x[rd(e)] = (byte) a;
            case SEXT_H -> x[rd(e)] = (short) a;
            case ZEXT_H -> x[rd(e)] = a & 0xffff;
            case ROL -> x[rd(e)] = Long.rotateLeft(a, (int) x[rs2(e)]);
            case ROLW -> x[rd(e)] = Integer.rotateLeft((int) a, (int) x[rs2(e)]);
            case ROR -> x[rd(e)] = Long.rotateRight(a, (int) x[rs2(e)]);
            case RORI -> x[rd(e)] = Long.rotateRight(a, (int) imm(e));
            case RORIW -> x[rd(e)] = Integer.rotateRight((int) a, (int) imm(e));
            case RORW -> x[rd(e)] = Integer.rotateRight((int) a, (int) x[rs2(e)]);
            case ORC_B -> x[rd(e)] = orcb(a);
            case REV8 -> x[rd(e)] = Long.reverseBytes(a);
            // --- Zbs ---
            case BCLR -> x[rd(e)] = a & ~(1L << x[rs2(e)]);
            case BCLRI -> x[rd(e)] = a & ~(1L << imm(e));
            case BEXT -> x[rd(e)] = (a >>> x[rs2(e)]) & 1;
            case BEXTI -> x[rd(e)] = (a >>> imm(e)) & 1;
            case BINV -> x[rd(e)] = a ^ (1L << x[rs2(e)]);
            case BINVI -> x[rd(e)] = a ^ (1L << imm(e));
            case BSET -> x[rd(e)] = a | (1L << x[rs2(e)]);
            case BSETI -> x[rd(e)] = a | (1L << imm(e));
            // --- A ---
            case LR_W -> {
                long off = h.mmu.translateAtomic(a, 4, true);
                int v = h.ram.getIntVolatile(off);
                h.reservationOffset = off;
                h.reservationSize = 4;
                h.reservationValue = v;
                x[rd(e)] = v;
            }
            case LR_D -> {
                long off = h.mmu.translateAtomic(a, 8, true);
                long v = h.ram.getLongVolatile(off);
                h.reservationOffset = off;
                h.reservationSize = 8;
                h.reservationValue = v;
                x[rd(e)] = v;
            }
            case SC_W -> {
                long off = h.mmu.translateAtomic(a, 4, false);
                int expected = (int) h.reservationValue;
                boolean ok = h.reservationOffset == off && h.reservationSize == 4
                        && h.ram.compareAndExchangeInt(off, expected, (int) x[rs2(e)]) == expected;
                h.reservationOffset = -1;
                x[rd(e)] = ok ? 0 : 1;
            }
            case SC_D -> {
                long off = h.mmu.translateAtomic(a, 8, false);
                long expected = h.reservationValue;
                boolean ok = h.reservationOffset == off && h.reservationSize == 8
                        && h.ram.compareAndExchangeLong(off, expected, x[rs2(e)]) == expected;
                h.reservationOffset = -1;
                x[rd(e)] = ok ? 0 : 1;
            }
            case AMO_W -> x[rd(e)] = amoW(h.ram, h.mmu.translateAtomic(a, 4, false), rs3(e), (int) x[rs2(e)]);
            case AMO_D -> x[rd(e)] = amoD(h.ram, h.mmu.translateAtomic(a, 8, false), rs3(e), x[rs2(e)]);
            default -> throw h.illegal();
        }
    }

    /** orc.b: each byte becomes 0xff if it was non-zero, else 0x00. */
    static long orcb(long a) {
        long r = 0;
        for (int i = 0; i < 64; i += 8) {
            if (((a >>> i) & 0xff) != 0) {
                r |= 0xffL << i;
            }
        }
        return r;
    }

    /** AMO*.W: returns the old value sign-extended (funct5 values of unprivileged spec table 8.2). */
    static long amoW(GuestRam ram, long off, int funct5, int src) {
        switch (funct5) {
            case 0x01:
                return ram.getAndSetInt(off, src);
            case 0x00:
                return ram.getAndAddInt(off, src);
            default:
                int old = ram.getIntVolatile(off);
                for (;;) {
                    int nv = switch (funct5) {
                        case 0x04 -> old ^ src;
                        case 0x0c -> old & src;
                        case 0x08 -> old | src;
                        case 0x10 -> Math.min(old, src);
                        case 0x14 -> Math.max(old, src);
                        case 0x18 -> Integer.compareUnsigned(old, src) <= 0 ? old : src;
                        default -> Integer.compareUnsigned(old, src) >= 0 ? old : src; // 0x1c amomaxu
                    };
                    int witness = ram.compareAndExchangeInt(off, old, nv);
                    if (witness == old) {
                        return old;
                    }
                    old = witness;
                }
        }
    }

    static long amoD(GuestRam ram, long off, int funct5, long src) {
        switch (funct5) {
            case 0x01:
                return ram.getAndSetLong(off, src);
            case 0x00:
                return ram.getAndAddLong(off, src);
            default:
                long old = ram.getLongVolatile(off);
                for (;;) {
                    long nv = switch (funct5) {
                        case 0x04 -> old ^ src;
                        case 0x0c -> old & src;
                        case 0x08 -> old | src;
                        case 0x10 -> Math.min(old, src);
                        case 0x14 -> Math.max(old, src);
                        case 0x18 -> Long.compareUnsigned(old, src) <= 0 ? old : src;
                        default -> Long.compareUnsigned(old, src) >= 0 ? old : src; // 0x1c amomaxu
                    };
                    long witness = ram.compareAndExchangeLong(off, old, nv);
                    if (witness == old) {
                        return old;
                    }
                    old = witness;
                }
        }
    }
}
