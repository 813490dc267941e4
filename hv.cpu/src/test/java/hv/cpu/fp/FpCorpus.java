package hv.cpu.fp;

import java.util.Random;

/**
 * Seeded operand generator for the differential test. Uniformly random bits almost never hit
 * the cases where floating-point units go wrong, so most operands are steered towards them:
 * special values, subnormals and the underflow/overflow boundaries, short significands (whose
 * sums and products are often exact or exactly halfway), operands that cancel, and integers at
 * the saturation boundaries of fcvt.
 */
final class FpCorpus {
    private final Random rnd;

    FpCorpus(long seed) {
        this.rnd = new Random(seed);
    }

    static final long[] SPECIAL64 = {
        0L, 0x8000_0000_0000_0000L,                                  // +-0
        0x7ff0_0000_0000_0000L, 0xfff0_0000_0000_0000L,              // +-inf
        0x7ff8_0000_0000_0000L, 0xfff8_0000_0000_0000L,              // qNaN
        0x7ff8_0000_0000_1234L, 0x7fff_ffff_ffff_ffffL,              // qNaN payloads
        0x7ff0_0000_0000_0001L, 0xfff4_0000_0000_0000L,              // sNaN
        0x7ff7_ffff_ffff_ffffL,                                      // sNaN, max payload
        0x0000_0000_0000_0001L, 0x8000_0000_0000_0001L,              // +-min subnormal
        0x000f_ffff_ffff_ffffL, 0x800f_ffff_ffff_ffffL,              // +-max subnormal
        0x0010_0000_0000_0000L, 0x8010_0000_0000_0000L,              // +-min normal
        0x0010_0000_0000_0001L, 0x0020_0000_0000_0000L,
        0x7fef_ffff_ffff_ffffL, 0xffef_ffff_ffff_ffffL,              // +-max
        0x7fe0_0000_0000_0000L, 0x7fef_ffff_ffff_fffeL,
        0x3ff0_0000_0000_0000L, 0xbff0_0000_0000_0000L,              // +-1
        0x3ff0_0000_0000_0001L, 0x3fef_ffff_ffff_ffffL,              // 1 +- ulp
        0x4000_0000_0000_0000L, 0x3fe0_0000_0000_0000L, 0x3ff8_0000_0000_0000L,
        0xbfe0_0000_0000_0000L, 0x4004_0000_0000_0000L, 0xbff8_0000_0000_0000L, // -0.5, 2.5, -1.5
        0x41df_ffff_ffc0_0000L, 0x41e0_0000_0000_0000L, 0xc1e0_0000_0000_0000L, // 2^31-1, +-2^31
        0xc1e0_0000_0020_0000L, 0x41ef_ffff_ffe0_0000L, 0x41f0_0000_0000_0000L, // -2^31-1, 2^32-1, 2^32
        0x43e0_0000_0000_0000L, 0xc3e0_0000_0000_0000L, 0x43df_ffff_ffff_ffffL, // +-2^63, below
        0x43f0_0000_0000_0000L, 0x43ef_ffff_ffff_ffffL, 0xc3e0_0000_0000_0001L, // 2^64, below, < -2^63
        0x3fd5_5555_5555_5555L, 0x4340_0000_0000_0000L, 0x4330_0000_0000_0001L,
    };

    static final int[] SPECIAL32 = {
        0, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 0x7fc0_0000, 0xffc0_0000, 0x7fc0_1234,
        0x7fff_ffff, 0x7f80_0001, 0xffa0_0000, 0x7fbf_ffff,
        0x0000_0001, 0x8000_0001, 0x007f_ffff, 0x807f_ffff, 0x0080_0000, 0x8080_0000,
        0x0080_0001, 0x0100_0000, 0x7f7f_ffff, 0xff7f_ffff, 0x7f00_0000, 0x7f7f_fffe,
        0x3f80_0000, 0xbf80_0000, 0x3f80_0001, 0x3f7f_ffff, 0x4000_0000, 0x3f00_0000,
        0x3fc0_0000, 0xbf00_0000, 0x4020_0000, 0xbfc0_0000,
        0x4f00_0000, 0xcf00_0000, 0x4eff_ffff, 0xcf00_0001, 0x4f80_0000, 0x4f7f_ffff,
        0x5f00_0000, 0xdf00_0000, 0x5eff_ffff, 0x5f80_0000, 0x5f7f_ffff, 0xdf00_0001,
        0x3eaa_aaab, 0x4b80_0000, 0x4b00_0001,
    };

    static final long[] SPECIAL_INT = {
        0, 1, -1, 2, 3, 0x7fff_ffffL, 0xffff_ffff_8000_0000L, 0x8000_0000L, 0xffff_ffffL,
        0x1_0000_0000L, 0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, 0x0020_0000_0000_0001L,
        0x001f_ffff_ffff_ffffL, 0x0100_0001L, 0x00ff_ffffL, 0xffff_ffff_ffff_fc00L,
        0x8000_0000_0000_0400L, 0xffff_ffff_ffff_f800L, 0x0000_0000_0100_0003L,
        0x7fff_ff80L, 0x7fff_ffc0L, 0xffff_ff80L, 0x0000_0000_8000_0080L,
    };

    int rm() {
        return rnd.nextInt(5);
    }

    // ------------------------------------------------------------------------------- binary64

    long d() {
        int k = rnd.nextInt(100);
        long sign = rnd.nextBoolean() ? Fp64.SIGN : 0;
        if (k < 15) {
            return SPECIAL64[rnd.nextInt(SPECIAL64.length)];
        } else if (k < 30) {
            return rnd.nextLong();
        } else if (k < 55) {
            return sign | d(1023 + rnd.nextInt(141) - 70, shortFrac64());
        } else if (k < 67) {
            return sign | d(rnd.nextInt(60), rnd.nextBoolean() ? rnd.nextLong() : shortFrac64());
        } else if (k < 77) {
            return sign | d(2046 - rnd.nextInt(40), rnd.nextBoolean() ? rnd.nextLong() : shortFrac64());
        } else {
            return sign | d(1023 + rnd.nextInt(121) - 60, rnd.nextLong());
        }
    }

    private static long d(int biasedExp, long frac) {
        return ((long) biasedExp << 52) | (frac & Fp64.FRAC);
    }

    /** A fraction with only its top few bits random (short significand). */
    private long shortFrac64() {
        int bits = 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 30);
        return (rnd.nextLong() >>> (64 - bits)) << (52 - Math.min(bits, 52));
    }

    /** A second operand, often related to the first (cancellation, scaling, boundaries). */
    long dRelated(long a) {
        int k = rnd.nextInt(100);
        int ea = (int) (a >>> 52) & 0x7ff;
        if (k < 55) {
            return d();
        } else if (k < 65) {
            return (a ^ Fp64.SIGN) + rnd.nextInt(5) - 2;           // near -a: cancellation
        } else if (k < 72) {
            return a + rnd.nextInt(5) - 2;                           // near a
        } else if (k < 85) {
            // exponent sum/difference near the overflow or underflow boundary
            int target = switch (rnd.nextInt(4)) {
                case 0 -> 2046 + 1023 - ea;                          // product near max
                case 1 -> 1 + 1023 - ea;                             // product near min normal
                case 2 -> ea - 2046 + 1023;                          // quotient near max
                default -> ea - 1 + 1023;                            // quotient near min normal
            };
            int e = Math.max(1, Math.min(2046, target + rnd.nextInt(7) - 3));
            long frac = rnd.nextBoolean() ? rnd.nextLong() : shortFrac64();
            return (rnd.nextBoolean() ? Fp64.SIGN : 0) | d(e, frac);
        } else {
            int e = Math.max(0, Math.min(2046, ea + rnd.nextInt(121) - 60));
            return (rnd.nextBoolean() ? Fp64.SIGN : 0) | d(e, shortFrac64());
        }
    }

    /** An addend for a*b: often near -(a*b) so the fused sum cancels or ties. */
    long dAddend(long a, long b) {
        int k = rnd.nextInt(100);
        double p = Double.longBitsToDouble(a) * Double.longBitsToDouble(b);
        if (k < 40 || Double.isNaN(p)) {
            return dRelated(a);
        } else if (k < 65) {
            return Double.doubleToRawLongBits(-p) + rnd.nextInt(7) - 3;
        } else if (k < 80) {
            return Double.doubleToRawLongBits(p) + rnd.nextInt(7) - 3;
        } else {
            long pb = Double.doubleToRawLongBits(p);
            int e = (int) (pb >>> 52) & 0x7ff;
            e = Math.max(0, Math.min(2046, e + rnd.nextInt(121) - 60));
            return (rnd.nextBoolean() ? Fp64.SIGN : 0) | d(e, shortFrac64());
        }
    }

    /** Values near the integer-conversion boundaries and halfway points. */
    long dForInt() {
        int k = rnd.nextInt(100);
        if (k < 40) {
            return d();
        }
        double[] bounds = {0x1p31, 0x1p32, 0x1p63, 0x1p64, 1, 0};
        double base = bounds[rnd.nextInt(bounds.length)];
        double v = k < 70 ? base + (rnd.nextInt(9) - 4) * 0.5 : base * (1 + (rnd.nextInt(9) - 4) * 0x1p-52);
        if (k >= 85) {
            v = rnd.nextInt(1 << 20) / 4.0 + rnd.nextInt(3) * 0x1p-30;
        }
        if (rnd.nextBoolean()) {
            v = -v;
        }
        long bits = Double.doubleToRawLongBits(v);
        return bits + (rnd.nextInt(5) == 0 ? rnd.nextInt(3) - 1 : 0);
    }

    // ------------------------------------------------------------------------------- binary32

    int s() {
        int k = rnd.nextInt(100);
        int sign = rnd.nextBoolean() ? Fp32.SIGN : 0;
        if (k < 15) {
            return SPECIAL32[rnd.nextInt(SPECIAL32.length)];
        } else if (k < 30) {
            return rnd.nextInt();
        } else if (k < 55) {
            return sign | s(127 + rnd.nextInt(61) - 30, shortFrac32());
        } else if (k < 67) {
            return sign | s(rnd.nextInt(30), rnd.nextBoolean() ? rnd.nextInt() : shortFrac32());
        } else if (k < 77) {
            return sign | s(254 - rnd.nextInt(20), rnd.nextBoolean() ? rnd.nextInt() : shortFrac32());
        } else {
            return sign | s(127 + rnd.nextInt(61) - 30, rnd.nextInt());
        }
    }

    private static int s(int biasedExp, int frac) {
        return (biasedExp << 23) | (frac & Fp32.FRAC);
    }

    private int shortFrac32() {
        int bits = 1 + rnd.nextInt(rnd.nextBoolean() ? 6 : 14);
        return (rnd.nextInt() >>> (32 - bits)) << (23 - Math.min(bits, 23));
    }

    int sRelated(int a) {
        int k = rnd.nextInt(100);
        int ea = (a >>> 23) & 0xff;
        if (k < 55) {
            return s();
        } else if (k < 65) {
            return (a ^ Fp32.SIGN) + rnd.nextInt(5) - 2;
        } else if (k < 72) {
            return a + rnd.nextInt(5) - 2;
        } else if (k < 85) {
            int target = switch (rnd.nextInt(4)) {
                case 0 -> 254 + 127 - ea;
                case 1 -> 1 + 127 - ea;
                case 2 -> ea - 254 + 127;
                default -> ea - 1 + 127;
            };
            int e = Math.max(1, Math.min(254, target + rnd.nextInt(7) - 3));
            int frac = rnd.nextBoolean() ? rnd.nextInt() : shortFrac32();
            return (rnd.nextBoolean() ? Fp32.SIGN : 0) | s(e, frac);
        } else {
            int e = Math.max(0, Math.min(254, ea + rnd.nextInt(61) - 30));
            return (rnd.nextBoolean() ? Fp32.SIGN : 0) | s(e, shortFrac32());
        }
    }

    int sAddend(int a, int b) {
        int k = rnd.nextInt(100);
        float p = Float.intBitsToFloat(a) * Float.intBitsToFloat(b);
        if (k < 40 || Float.isNaN(p)) {
            return sRelated(a);
        } else if (k < 65) {
            return Float.floatToRawIntBits(-p) + rnd.nextInt(7) - 3;
        } else if (k < 80) {
            return Float.floatToRawIntBits(p) + rnd.nextInt(7) - 3;
        } else {
            int pb = Float.floatToRawIntBits(p);
            int e = (pb >>> 23) & 0xff;
            e = Math.max(0, Math.min(254, e + rnd.nextInt(61) - 30));
            return (rnd.nextBoolean() ? Fp32.SIGN : 0) | s(e, shortFrac32());
        }
    }

    int sForInt() {
        if (rnd.nextInt(100) < 40) {
            return s();
        }
        return Fp64.toFp32(dForInt(), RoundingMode.RTZ, new FpFlags()) + (rnd.nextInt(5) == 0 ? rnd.nextInt(3) - 1 : 0);
    }

    // -------------------------------------------------------------------------------- integers

    long integer() {
        int k = rnd.nextInt(100);
        if (k < 25) {
            return SPECIAL_INT[rnd.nextInt(SPECIAL_INT.length)] + rnd.nextInt(5) - 2;
        } else if (k < 60) {
            return rnd.nextLong() >> rnd.nextInt(64);
        } else if (k < 80) {
            return rnd.nextLong() >>> rnd.nextInt(64);
        } else {
            // a short run of significant bits at a random position: often exactly halfway
            int width = 1 + rnd.nextInt(30);
            long v = (rnd.nextLong() >>> (64 - width)) | 1;
            v <<= rnd.nextInt(64 - width + 1);
            return rnd.nextBoolean() ? -v : v;
        }
    }
}
