package hv.cpu.diff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The architectural state a block ended with, as its epilogue stored it: x1..x31, f0..f31, fcsr
 * and the scratch memory. Parsed from the program's stdout (all block areas, in order).
 */
record BlockState(long[] x, long[] f, long fcsr, long[] scratch) {

    /** One field that differs: name (x10/a0, f3/ft3, fcsr, mem[0x18]) and the two values. */
    record Difference(String field, long expected, long actual) {
        @Override
        public String toString() {
            if (field.startsWith("f") && !field.equals("fcsr")) {
                return String.format("%-10s qemu %016x %-26s HV %016x %s", field, expected, fp(expected), actual, fp(actual));
            }
            if (field.equals("fcsr")) {
                return String.format("%-10s qemu %02x %-15s HV %02x %s", field, expected, fcsr(expected), actual, fcsr(actual));
            }
            return String.format("%-10s qemu %016x (%d)  HV %016x (%d)", field, expected, expected, actual, actual);
        }
    }

    /** The final state of block {@code ordinal} in a dump of all areas. */
    static BlockState finalState(byte[] dump, int ordinal) {
        ByteBuffer b = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        int base = ordinal * Area.SIZE;
        long[] x = new long[32];
        for (int i = 1; i < 32; i++) {
            x[i] = b.getLong(base + Area.xSlot(Area.FINAL, i));
        }
        long[] f = new long[32];
        for (int i = 0; i < 32; i++) {
            f[i] = b.getLong(base + Area.fSlot(Area.FINAL, i));
        }
        long fcsr = b.getLong(base + Area.fcsrSlot(Area.FINAL));
        long[] scratch = new long[Area.SCRATCH / 8];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = b.getLong(base + 8 * i);
        }
        return new BlockState(x, f, fcsr, scratch);
    }

    /** Every field of {@code actual} (HV) that differs from {@code expected} (qemu), in register order. */
    static List<Difference> differences(BlockState expected, BlockState actual) {
        List<Difference> d = new ArrayList<>();
        for (int i = 1; i < 32; i++) {
            if (expected.x[i] != actual.x[i]) {
                d.add(new Difference("x" + i + "/" + Reg.x(i), expected.x[i], actual.x[i]));
            }
        }
        for (int i = 0; i < 32; i++) {
            if (expected.f[i] != actual.f[i]) {
                d.add(new Difference("f" + i + "/" + Reg.f(i), expected.f[i], actual.f[i]));
            }
        }
        if (expected.fcsr != actual.fcsr) {
            d.add(new Difference("fcsr", expected.fcsr, actual.fcsr));
        }
        for (int i = 0; i < expected.scratch.length; i++) {
            if (expected.scratch[i] != actual.scratch[i]) {
                d.add(new Difference("mem[0x" + Integer.toHexString(8 * i) + "]", expected.scratch[i], actual.scratch[i]));
            }
        }
        return d;
    }

    /** A register's bits as the value they hold: a NaN-boxed single or a double. */
    static String fp(long bits) {
        if ((bits >>> 32) == 0xffff_ffffL) {
            return "(s " + Float.intBitsToFloat((int) bits) + ")";
        }
        return "(d " + Double.longBitsToDouble(bits) + ")";
    }

    static String fcsr(long v) {
        StringBuilder s = new StringBuilder("(rm=" + ((v >> 5) & 7));
        String[] names = {"NX", "UF", "OF", "DZ", "NV"};
        for (int i = 4; i >= 0; i--) {
            if ((v & (1 << i)) != 0) {
                s.append(' ').append(names[i]);
            }
        }
        if ((v & ~0xffL) != 0) {
            s.append(" reserved bits set");
        }
        return s.append(')').toString();
    }
}
