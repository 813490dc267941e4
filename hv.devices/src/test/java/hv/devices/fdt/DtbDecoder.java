package hv.devices.fdt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent reader of DTB blobs for tests (DT spec v0.4 chapter 5): checks the header and
 * block layout strictly and renders the tree as DTS-like text, so a golden file can pin the
 * structure without trusting the encoder.
 */
final class DtbDecoder {

    record Decoded(String dts, int bootCpu, List<long[]> reservations) {
    }

    static Decoded decode(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        check(b.getInt(0) == 0xd00dfeed, "magic");
        int total = b.getInt(4);
        int offStruct = b.getInt(8);
        int offStrings = b.getInt(12);
        int offRsv = b.getInt(16);
        int version = b.getInt(20);
        int lastComp = b.getInt(24);
        int bootCpu = b.getInt(28);
        int sizeStrings = b.getInt(32);
        int sizeStruct = b.getInt(36);
        check(total == blob.length, "totalsize " + total + " != " + blob.length);
        check(version == 17 && lastComp == 16, "version");
        check(offRsv % 8 == 0 && offRsv >= 40, "rsvmap alignment");
        check(offStruct % 4 == 0 && offStruct + sizeStruct <= total, "struct block");
        check(offStrings + sizeStrings <= total, "strings block");

        List<long[]> rsv = new ArrayList<>();
        for (int p = offRsv; ; p += 16) {
            long a = b.getLong(p);
            long s = b.getLong(p + 16 - 8);
            if (a == 0 && s == 0) {
                check(p + 16 <= offStruct, "rsvmap overlaps struct");
                break;
            }
            rsv.add(new long[]{a, s});
        }

        StringBuilder out = new StringBuilder();
        int p = offStruct;
        int depth = 0;
        int end = offStruct + sizeStruct;
        boolean sawEnd = false;
        while (p < end) {
            int token = b.getInt(p);
            p += 4;
            switch (token) {
                case 1 -> {
                    int s = p;
                    while (blob[p] != 0) {
                        p++;
                    }
                    String name = new String(blob, s, p - s, StandardCharsets.US_ASCII);
                    p = align4(p + 1);
                    out.append("\t".repeat(depth)).append(name.isEmpty() ? "/" : name).append(" {\n");
                    depth++;
                }
                case 2 -> {
                    depth--;
                    check(depth >= 0, "unbalanced END_NODE");
                    out.append("\t".repeat(depth)).append("};\n");
                }
                case 3 -> {
                    int len = b.getInt(p);
                    int nameOff = b.getInt(p + 4);
                    p += 8;
                    check(nameOff < sizeStrings, "name offset");
                    int s = offStrings + nameOff;
                    int e = s;
                    while (blob[e] != 0) {
                        e++;
                    }
                    String name = new String(blob, s, e - s, StandardCharsets.US_ASCII);
                    byte[] v = new byte[len];
                    System.arraycopy(blob, p, v, 0, len);
                    p = align4(p + len);
                    out.append("\t".repeat(depth)).append(name).append(render(v)).append(";\n");
                }
                case 4 -> {
                    // FDT_NOP
                }
                case 9 -> {
                    sawEnd = true;
                    p = end;
                }
                default -> throw new AssertionError("bad token " + token + " at " + (p - 4));
            }
        }
        check(sawEnd && depth == 0, "missing FDT_END or unbalanced nodes");
        return new Decoded(out.toString(), bootCpu, rsv);
    }

    private static String render(byte[] v) {
        if (v.length == 0) {
            return "";
        }
        if (isStrings(v)) {
            List<String> parts = new ArrayList<>();
            int s = 0;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0) {
                    parts.add("\"" + new String(v, s, i - s, StandardCharsets.UTF_8) + "\"");
                    s = i + 1;
                }
            }
            return " = " + String.join(", ", parts);
        }
        StringBuilder sb = new StringBuilder(" = <");
        if (v.length % 4 == 0) {
            for (int i = 0; i < v.length; i += 4) {
                int c = ((v[i] & 0xff) << 24) | ((v[i + 1] & 0xff) << 16) | ((v[i + 2] & 0xff) << 8) | (v[i + 3] & 0xff);
                sb.append(i == 0 ? "" : " ").append("0x").append(Integer.toHexString(c));
            }
            return sb.append(">").toString();
        }
        sb = new StringBuilder(" = [");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", v[i] & 0xff));
        }
        return sb.append("]").toString();
    }

    private static boolean isStrings(byte[] v) {
        if (v[v.length - 1] != 0 || v[0] == 0) {
            return false;
        }
        for (int i = 0; i < v.length; i++) {
            int c = v[i] & 0xff;
            if (c == 0) {
                if (i > 0 && v[i - 1] == 0) {
                    return false;
                }
            } else if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static int align4(int p) {
        return (p + 3) & ~3;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("malformed DTB: " + what);
        }
    }
}
