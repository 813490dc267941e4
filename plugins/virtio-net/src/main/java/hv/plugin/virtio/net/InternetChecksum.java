package hv.plugin.virtio.net;

/**
 * The Internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * big-endian words, as TCP, UDP and IPv4 use it. Sums are kept unfolded in a long so that any
 * frame (at most 64 KiB) adds up without overflow.
 */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /** Adds bytes [from, to) as 16-bit big-endian words (an odd last byte is padded with zero). */
    static long add(long sum, byte[] data, int from, int to) {
        int i = from;
        for (; i + 1 < to; i += 2) {
            sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        }
        if (i < to) {
            sum += (data[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds carries into 16 bits. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
