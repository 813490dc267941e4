package hv.devices.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serializes a {@link DeviceTree} to the flattened format of Devicetree Specification v0.4,
 * chapter 5: a 40-byte header, the memory reservation block (8-aligned, ending with a zero
 * entry), the structure block (tokens, 4-aligned) and the strings block (property names,
 * each stored once).
 */
final class DtbEncoder {

    static final int MAGIC = 0xd00dfeed;
    static final int VERSION = 17;
    static final int LAST_COMPATIBLE_VERSION = 16;
    static final int FDT_BEGIN_NODE = 1;
    static final int FDT_END_NODE = 2;
    static final int FDT_PROP = 3;
    static final int FDT_END = 9;
    private static final int HEADER_SIZE = 40;

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();

    private DtbEncoder() {
    }

    static byte[] encode(DeviceTree tree, int bootCpuId) {
        DtbEncoder e = new DtbEncoder();
        e.node(tree.root());
        e.token(FDT_END);

        ByteArrayOutputStream rsv = new ByteArrayOutputStream();
        for (DeviceTree.Reservation r : tree.reservations()) {
            be64(rsv, r.address());
            be64(rsv, r.size());
        }
        be64(rsv, 0);
        be64(rsv, 0);

        int offRsv = HEADER_SIZE; // 40 is already 8-aligned
        int offStruct = offRsv + rsv.size();
        int offStrings = offStruct + e.structure.size();
        int total = offStrings + e.strings.size();

        ByteArrayOutputStream out = new ByteArrayOutputStream(total);
        be32(out, MAGIC);
        be32(out, total);
        be32(out, offStruct);
        be32(out, offStrings);
        be32(out, offRsv);
        be32(out, VERSION);
        be32(out, LAST_COMPATIBLE_VERSION);
        be32(out, bootCpuId);
        be32(out, e.strings.size());
        be32(out, e.structure.size());
        out.writeBytes(rsv.toByteArray());
        out.writeBytes(e.structure.toByteArray());
        out.writeBytes(e.strings.toByteArray());
        return out.toByteArray();
    }

    private void node(FdtNode n) {
        token(FDT_BEGIN_NODE);
        byte[] name = n.name().getBytes(StandardCharsets.US_ASCII);
        structure.writeBytes(name);
        structure.write(0);
        pad4();
        for (Map.Entry<String, byte[]> p : n.properties().entrySet()) {
            token(FDT_PROP);
            be32(structure, p.getValue().length);
            be32(structure, nameOffset(p.getKey()));
            structure.writeBytes(p.getValue());
            pad4();
        }
        for (FdtNode c : n.children()) {
            node(c);
        }
        token(FDT_END_NODE);
    }

    private int nameOffset(String name) {
        Integer off = stringOffsets.get(name);
        if (off == null) {
            off = strings.size();
            strings.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            stringOffsets.put(name, off);
        }
        return off;
    }

    private void token(int t) {
        be32(structure, t);
    }

    private void pad4() {
        while ((structure.size() & 3) != 0) {
            structure.write(0);
        }
    }

    private static void be32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void be64(ByteArrayOutputStream out, long v) {
        be32(out, (int) (v >>> 32));
        be32(out, (int) v);
    }
}
