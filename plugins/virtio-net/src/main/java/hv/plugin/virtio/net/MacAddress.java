package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A NIC's Ethernet address. Given by the user ({@code mac=52:54:00:12:34:56}) or derived from
 * the VM's name and the NIC's instance name, so the same VM gets the same addresses on every
 * run (DHCP leases and neighbour caches stay valid) and two NICs or two VMs differ.
 */
record MacAddress(long value) {

    /** The I/G bit (IEEE 802): set in group (multicast/broadcast) addresses, which a NIC must not own. */
    private static final long GROUP_BIT = 1L << 40;
    /** The U/L bit: set in locally administered addresses, which never clash with a vendor's. */
    private static final long LOCAL_BIT = 1L << 41;

    static MacAddress parse(String text) throws DeviceConfigException {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new DeviceConfigException("virtio-net: mac=" + text + " is not six hex bytes like 52:54:00:12:34:56");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                throw new DeviceConfigException("virtio-net: mac=" + text + " is not six hex bytes like 52:54:00:12:34:56");
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new DeviceConfigException("virtio-net: mac=" + text + " is not six hex bytes like 52:54:00:12:34:56");
            }
        }
        if ((v & GROUP_BIT) != 0) {
            throw new DeviceConfigException("virtio-net: mac=" + text + " is a multicast address; a NIC needs a unicast one");
        }
        return new MacAddress(v);
    }

    /** A stable, locally administered unicast address from a hash of the VM and NIC names. */
    static MacAddress derive(String vmName, String nicName) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest((vmName + "\0" + nicName).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        v = (v & ~GROUP_BIT) | LOCAL_BIT;
        return new MacAddress(v);
    }

    byte octet(int i) {
        return (byte) (value >>> (40 - 8 * i));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", octet(i) & 0xff));
        }
        return sb.toString();
    }
}
