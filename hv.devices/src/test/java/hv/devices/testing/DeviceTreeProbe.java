package hv.devices.testing;

import hv.api.device.Device;
import hv.devices.fdt.DeviceTree;
import hv.devices.fdt.FdtNode;

import java.util.Map;

/** Lets a plugin test see the node its device describes under /soc (interrupt parent phandle 1). */
public final class DeviceTreeProbe {
    private DeviceTreeProbe() {
    }

    /** The properties of /soc/{@code nodeName} after {@code device.describe(soc)}. */
    public static Map<String, byte[]> node(Device device, String nodeName) {
        DeviceTree tree = new DeviceTree();
        FdtNode soc = tree.root().child("soc").property("#address-cells", 2).property("#size-cells", 2);
        tree.setInterruptParent(tree.root().child("plic"));
        device.describe(soc);
        for (FdtNode n : soc.children()) {
            if (n.name().equals(nodeName)) {
                // the encoder must accept it too
                tree.toDtb(0);
                return n.properties();
            }
        }
        throw new AssertionError("no /soc/" + nodeName + "; device described " + soc.children());
    }

    public static byte[] cells(int... values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            b[i * 4] = (byte) (values[i] >>> 24);
            b[i * 4 + 1] = (byte) (values[i] >>> 16);
            b[i * 4 + 2] = (byte) (values[i] >>> 8);
            b[i * 4 + 3] = (byte) values[i];
        }
        return b;
    }

    public static byte[] strings(String... values) {
        return (String.join("\0", values) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
