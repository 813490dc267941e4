package hv.plugin.virtio.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChecksumOffloadTest {

    /** RFC 1071 section 3's worked example: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded). */
    @Test
    void theRfc1071Example() {
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, InternetChecksum.fold(InternetChecksum.add(0, data, 0, data.length)));
        assertEquals(0x220d, ~InternetChecksum.fold(InternetChecksum.add(0, data, 0, data.length)) & 0xffff);
    }

    @Test
    void completingAPartialChecksumGivesAFrameThatVerifies() {
        for (boolean tcp : new boolean[] {false, true}) {
            for (int payload : new int[] {0, 1, 2, 17, 1400}) {
                byte[] f = Packets.ipv4(tcp, payload);
                int csumAt = 34 + (tcp ? 16 : 6);
                // What a driver hands over with NEEDS_CSUM: the field holds the pseudo-header sum only.
                int l4len = f.length - 34;
                int pseudo = Packets.sum16(f, 26, 34, 0);
                pseudo = Packets.sum16(new byte[] {0, (byte) (tcp ? 6 : 17), (byte) (l4len >>> 8), (byte) l4len}, 0, 4, pseudo);
                Packets.put16(f, csumAt, pseudo);
                assertFalse(Packets.ipv4TransportOk(f));
                assertTrue(ChecksumOffload.complete(f, f.length, 34, tcp ? 16 : 6));
                assertTrue(Packets.ipv4TransportOk(f), "tcp=" + tcp + " payload=" + payload);
            }
        }
    }

    @Test
    void aChecksumPositionOutsideTheFrameIsRefused() {
        byte[] f = Packets.ipv4(false, 10);
        assertFalse(ChecksumOffload.complete(f, f.length, f.length, 0));
        assertFalse(ChecksumOffload.complete(f, f.length, 34, f.length - 34 - 1));
        assertFalse(ChecksumOffload.complete(f, f.length, 60000, 6));
    }

    @Test
    void receivedFramesAreVouchedForOnlyWhenTheyVerify() {
        assertTrue(ChecksumOffload.transportChecksumValid(Packets.ipv4(true, 100), Packets.ipv4(true, 100).length));
        assertTrue(ChecksumOffload.transportChecksumValid(Packets.ipv4(false, 33), Packets.ipv4(false, 33).length));
        byte[] v6 = Packets.ipv6Udp(50);
        assertTrue(ChecksumOffload.transportChecksumValid(v6, v6.length));

        byte[] bad = Packets.ipv4(true, 100);
        bad[bad.length - 1] ^= 1;
        assertFalse(ChecksumOffload.transportChecksumValid(bad, bad.length), "one flipped payload bit");
        byte[] bad6 = Packets.ipv6Udp(50);
        bad6[60] ^= (byte) 0x80;
        assertFalse(ChecksumOffload.transportChecksumValid(bad6, bad6.length));

        byte[] fragment = Packets.ipv4(false, 20);
        fragment[20] = 0x20; // more fragments
        assertFalse(ChecksumOffload.transportChecksumValid(fragment, fragment.length), "fragments are left to the guest");
        byte[] noUdpChecksum = Packets.ipv4(false, 20);
        noUdpChecksum[40] = 0;
        noUdpChecksum[41] = 0;
        assertFalse(ChecksumOffload.transportChecksumValid(noUdpChecksum, noUdpChecksum.length));
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertFalse(ChecksumOffload.transportChecksumValid(arp, arp.length));
        byte[] truncated = Packets.ipv4(true, 100);
        assertFalse(ChecksumOffload.transportChecksumValid(truncated, truncated.length - 10), "IP length beyond the frame");
        byte[] tiny = new byte[20];
        assertFalse(ChecksumOffload.transportChecksumValid(tiny, tiny.length));
    }
}
