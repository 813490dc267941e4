package hv.hosts.debug;

/** Hex encoding as the remote protocol uses it: lower-case pairs, little-endian register values. */
final class Hex {
    static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private Hex() {
    }

    /** The value of one hex digit, or -1. */
    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static void appendByte(StringBuilder sb, int b) {
        sb.append((char) DIGITS[(b >> 4) & 15]).append((char) DIGITS[b & 15]);
    }

    /** {@code bytes} bytes of v, least significant first (the target's byte order). */
    static void appendLittleEndian(StringBuilder sb, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            appendByte(sb, (int) (v >>> (8 * i)) & 0xff);
        }
    }

    static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder(data.length * 2);
        for (byte b : data) {
            appendByte(sb, b & 0xff);
        }
        return sb.toString();
    }

    static String encode(String text) {
        return encode(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Decodes pairs of hex digits; throws IllegalArgumentException on anything else. */
    static byte[] decode(String s) {
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd hex length");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(s.charAt(2 * i)), lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: " + s);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** A little-endian value from {@code bytes} bytes of hex at {@code from}. */
    static long littleEndian(String s, int from, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            int hi = digit(s.charAt(from + 2 * i)), lo = digit(s.charAt(from + 2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex: " + s);
            }
            v |= (long) (hi << 4 | lo) << (8 * i);
        }
        return v;
    }

    /** An unsigned big-endian hex number (addresses, lengths, register and thread numbers). */
    static long number(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new IllegalArgumentException("bad number: " + s);
        }
        return Long.parseUnsignedLong(s, 16);
    }
}
