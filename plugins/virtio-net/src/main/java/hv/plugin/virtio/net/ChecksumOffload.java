package hv.plugin.virtio.net;

/**
 * The two checksum features of virtio-net, done by the device in Java so the (emulated, hence
 * slow) guest CPU does not have to:
 * <ul>
 *   <li>VIRTIO_NET_F_CSUM, transmit (virtio 1.2 5.1.6.2): a frame with NEEDS_CSUM carries a
 *   partial checksum (the pseudo-header sum) at csum_start + csum_offset; the device sums from
 *   csum_start to the end of the frame and stores the complement there, so what goes on the wire
 *   is a complete frame, as any peer (QEMU, another HV) expects.</li>
 *   <li>VIRTIO_NET_F_GUEST_CSUM, receive (5.1.6.4): the device may set DATA_VALID when it has
 *   checked the TCP/UDP checksum; it does so only for frames it fully understands (IPv4 without
 *   fragmentation, or IPv6 without extension headers, carrying TCP or UDP) whose checksum is
 *   right. Anything else goes up unmarked and the guest checks it as usual.</li>
 * </ul>
 */
final class ChecksumOffload {
    static final int ETH_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;

    private ChecksumOffload() {
    }

    /**
     * Completes a NEEDS_CSUM frame in place.
     *
     * @return false when csum_start/csum_offset do not fit the frame (a broken driver request)
     */
    static boolean complete(byte[] frame, int length, int csumStart, int csumOffset) {
        int at = csumStart + csumOffset;
        if (csumStart < 0 || csumOffset < 0 || csumStart >= length || at + 2 > length) {
            return false;
        }
        int sum = InternetChecksum.fold(InternetChecksum.add(0, frame, csumStart, length));
        int value = ~sum & 0xffff;
        if (value == 0) {
            value = 0xffff; // 0 and 0xffff are the same in one's complement; UDP reserves 0 for "none"
        }
        frame[at] = (byte) (value >>> 8);
        frame[at + 1] = (byte) value;
        return true;
    }

    /** True only when the frame is TCP or UDP over IPv4/IPv6 and its transport checksum verifies. */
    static boolean transportChecksumValid(byte[] f, int length) {
        if (length < ETH_HEADER + 20) {
            return false;
        }
        int type = u16(f, 12);
        if (type == ETHERTYPE_IPV4) {
            return ipv4(f, length);
        }
        if (type == ETHERTYPE_IPV6) {
            return ipv6(f, length);
        }
        return false;
    }

    private static boolean ipv4(byte[] f, int length) {
        int ip = ETH_HEADER;
        int vihl = f[ip] & 0xff;
        int ihl = (vihl & 0xf) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20) {
            return false;
        }
        int total = u16(f, ip + 2);
        if (total < ihl || ip + total > length) {
            return false;
        }
        int flagsFrag = u16(f, ip + 6);
        if ((flagsFrag & 0x3fff) != 0) {
            return false; // a fragment: the transport checksum covers the reassembled datagram
        }
        int proto = f[ip + 9] & 0xff;
        int l4 = ip + ihl;
        int l4Length = total - ihl;
        long sum = InternetChecksum.add(0, f, ip + 12, ip + 20); // source and destination addresses
        return transport(f, l4, l4Length, proto, sum, true);
    }

    private static boolean ipv6(byte[] f, int length) {
        int ip = ETH_HEADER;
        if (length < ip + 40 || ((f[ip] & 0xff) >>> 4) != 6) {
            return false;
        }
        int payload = u16(f, ip + 4);
        int next = f[ip + 6] & 0xff;
        int l4 = ip + 40;
        if (l4 + payload > length) {
            return false;
        }
        long sum = InternetChecksum.add(0, f, ip + 8, ip + 40); // source and destination addresses
        return transport(f, l4, payload, next, sum, false);
    }

    private static boolean transport(byte[] f, int l4, int l4Length, int proto, long pseudo, boolean ipv4) {
        if (proto == PROTO_TCP) {
            if (l4Length < 20) {
                return false;
            }
        } else if (proto == PROTO_UDP) {
            if (l4Length < 8 || u16(f, l4 + 4) != l4Length) {
                return false;
            }
            if (ipv4 && u16(f, l4 + 6) == 0) {
                return false; // no checksum was sent: nothing to vouch for
            }
        } else {
            return false;
        }
        long sum = pseudo + proto + l4Length;
        sum = InternetChecksum.add(sum, f, l4, l4 + l4Length);
        return InternetChecksum.fold(sum) == 0xffff;
    }

    private static int u16(byte[] f, int at) {
        return ((f[at] & 0xff) << 8) | (f[at + 1] & 0xff);
    }
}
