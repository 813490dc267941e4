package hv.plugin.virtio.net;

/**
 * IPv4/IPv6 test frames with TCP or UDP, built with their checksums computed here, independently
 * of the device's code (a plain word loop), and a checker of the same kind.
 */
final class Packets {
    private Packets() {
    }

    /** One's complement sum of 16-bit words, folded: the reference the device is checked against. */
    static int sum16(byte[] b, int from, int to, int start) {
        int s = start;
        for (int i = from; i < to; i += 2) {
            int hi = b[i] & 0xff;
            int lo = i + 1 < to ? b[i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** Ethernet + IPv4 + (TCP if tcp else UDP) + payload, every checksum correct. */
    static byte[] ipv4(boolean tcp, int payload) {
        int l4len = (tcp ? 20 : 8) + payload;
        byte[] f = new byte[14 + 20 + l4len];
        f[0] = 0x02;
        f[6] = 0x02;
        f[11] = 1;
        put16(f, 12, 0x0800);
        f[14] = 0x45;
        put16(f, 16, 20 + l4len);
        f[22] = 64;
        f[23] = (byte) (tcp ? 6 : 17);
        f[26] = 10; f[27] = 0; f[28] = 0; f[29] = 1;
        f[30] = 10; f[31] = 0; f[32] = 0; f[33] = 2;
        put16(f, 24, ~sum16(f, 14, 34, 0) & 0xffff);
        int l4 = 34;
        put16(f, l4, 40000);
        put16(f, l4 + 2, 5000);
        if (tcp) {
            f[l4 + 12] = 0x50;
            f[l4 + 13] = 0x18;
            put16(f, l4 + 14, 65535);
        } else {
            put16(f, l4 + 4, l4len);
        }
        for (int i = 0; i < payload; i++) {
            f[l4 + (tcp ? 20 : 8) + i] = (byte) (i * 13 + 7);
        }
        int csumAt = l4 + (tcp ? 16 : 6);
        int pseudo = sum16(f, 26, 34, 0);
        pseudo = sum16(new byte[] {0, (byte) (tcp ? 6 : 17), (byte) (l4len >>> 8), (byte) l4len}, 0, 4, pseudo);
        put16(f, csumAt, ~sum16(f, l4, f.length, pseudo) & 0xffff);
        return f;
    }

    /** Ethernet + IPv6 + UDP + payload, checksum correct. */
    static byte[] ipv6Udp(int payload) {
        int l4len = 8 + payload;
        byte[] f = new byte[14 + 40 + l4len];
        f[0] = 0x02;
        f[6] = 0x02;
        put16(f, 12, 0x86dd);
        f[14] = 0x60;
        put16(f, 18, l4len);
        f[20] = 17;
        f[21] = 64;
        f[22] = (byte) 0xfe; f[23] = (byte) 0x80; f[37] = 1;
        f[38] = (byte) 0xfe; f[39] = (byte) 0x80; f[53] = 2;
        int l4 = 54;
        put16(f, l4, 1234);
        put16(f, l4 + 2, 5678);
        put16(f, l4 + 4, l4len);
        for (int i = 0; i < payload; i++) {
            f[l4 + 8 + i] = (byte) (i + 1);
        }
        int pseudo = sum16(f, 22, 54, 0);
        pseudo = sum16(new byte[] {0, 0, (byte) (l4len >>> 8), (byte) l4len, 0, 0, 0, 17}, 0, 8, pseudo);
        put16(f, l4 + 6, ~sum16(f, l4, f.length, pseudo) & 0xffff);
        return f;
    }

    /** True when the IPv4 frame's transport checksum verifies (sum over pseudo-header and segment is 0xffff). */
    static boolean ipv4TransportOk(byte[] f) {
        int total = ((f[16] & 0xff) << 8) | (f[17] & 0xff);
        int l4len = total - 20;
        int proto = f[23] & 0xff;
        int pseudo = sum16(f, 26, 34, 0);
        pseudo = sum16(new byte[] {0, (byte) proto, (byte) (l4len >>> 8), (byte) l4len}, 0, 4, pseudo);
        return sum16(f, 34, 34 + l4len, pseudo) == 0xffff;
    }
}
