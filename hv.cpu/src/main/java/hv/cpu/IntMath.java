package hv.cpu;

/**
 * The M-extension operations whose RISC-V results differ from Java's or need care (unprivileged
 * spec 13.2, table 13.1): division by zero gives all ones (quotient) or the dividend (remainder),
 * signed overflow (MIN / -1) gives MIN and remainder 0 (Java already agrees on overflow), and the
 * W forms sign-extend their 32-bit result.
 */
final class IntMath {
    private IntMath() {
    }

    /** The M ops the interpreter does not inline (one call site keeps the dispatch loop small). */
    static long execute(int op, long a, long b) {
        return switch (op) {
            case Op.MULH -> Math.multiplyHigh(a, b);
            case Op.MULHSU -> mulhsu(a, b);
            case Op.MULHU -> Math.unsignedMultiplyHigh(a, b);
            case Op.DIV -> div(a, b);
            case Op.DIVU -> divu(a, b);
            case Op.REM -> rem(a, b);
            case Op.REMU -> remu(a, b);
            case Op.DIVW -> divw(a, b);
            case Op.DIVUW -> divuw(a, b);
            case Op.REMW -> remw(a, b);
            default -> remuw(a, b);
        };
    }

    static long mulhsu(long a, long b) {
        // a * b with b unsigned: b_unsigned = b + 2^64 when b < 0, which adds a to the high half.
        return Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
    }

    static long div(long a, long b) {
        return b == 0 ? -1 : a / b;
    }

    static long divu(long a, long b) {
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
    }

    static long rem(long a, long b) {
        return b == 0 ? a : a % b;
    }

    static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long divw(long a, long b) {
        int x = (int) a, y = (int) b;
        return y == 0 ? -1 : x / y;
    }

    static long divuw(long a, long b) {
        int x = (int) a, y = (int) b;
        return y == 0 ? -1 : Integer.divideUnsigned(x, y);
    }

    static long remw(long a, long b) {
        int x = (int) a, y = (int) b;
        return y == 0 ? x : x % y;
    }

    static long remuw(long a, long b) {
        int x = (int) a, y = (int) b;
        return y == 0 ? x : Integer.remainderUnsigned(x, y);
    }
}
