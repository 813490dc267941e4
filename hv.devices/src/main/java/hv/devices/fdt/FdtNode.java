package hv.devices.fdt;

import hv.api.device.DeviceTreeNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One node of a {@link DeviceTree}: ordered properties (raw big-endian values, as the DTB
 * stores them) and ordered children. Names are checked against the Devicetree Specification
 * (section 2.2.1 node names, 2.2.4.1 property names) so a plugin cannot produce a tree the
 * guest's parser rejects. Not thread-safe: a tree is built on one thread before boot.
 */
public final class FdtNode implements DeviceTreeNode {

    /** node-name[@unit-address]: 1..31 characters, then an optional unit address. */
    private static final Pattern NODE_NAME = Pattern.compile("[a-zA-Z][0-9a-zA-Z,._+-]{0,30}(@[0-9a-zA-Z,._+-]+)?");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[0-9a-zA-Z,._+?#-]{1,31}");

    private final DeviceTree tree;
    private final FdtNode parent;
    private final String name;
    private final Map<String, byte[]> properties = new LinkedHashMap<>();
    private final List<FdtNode> children = new ArrayList<>();
    private int phandle;

    FdtNode(DeviceTree tree, FdtNode parent, String name) {
        this.tree = tree;
        this.parent = parent;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The full path, e.g. {@code /soc/serial@10000000}. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        String p = parent.path();
        return p.equals("/") ? "/" + name : p + "/" + name;
    }

    public Optional<FdtNode> parent() {
        return Optional.ofNullable(parent);
    }

    public List<FdtNode> children() {
        return Collections.unmodifiableList(children);
    }

    /** Property names in insertion order, values as stored (a copy). */
    public Map<String, byte[]> properties() {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    public Optional<byte[]> property(String propertyName) {
        byte[] v = properties.get(propertyName);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** The child named {@code childName}; created (appended) if it does not exist yet. */
    @Override
    public FdtNode child(String childName) {
        for (FdtNode c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        if (childName == null || !NODE_NAME.matcher(childName).matches()) {
            throw new IllegalArgumentException("invalid device-tree node name '" + childName + "' under " + path());
        }
        FdtNode c = new FdtNode(tree, this, childName);
        children.add(c);
        return c;
    }

    /** A string or string-list property (each string NUL-terminated, DT spec 2.2.4.2). */
    @Override
    public FdtNode property(String propertyName, String... strings) {
        if (strings.length == 0) {
            throw new IllegalArgumentException(path() + ": string property '" + propertyName + "' needs a value; use flag()");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : strings) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(path() + ": property '" + propertyName + "' has a NUL inside a string");
            }
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return put(propertyName, out.toByteArray());
    }

    /** A {@code <u32 ...>} property, big-endian cells. */
    @Override
    public FdtNode property(String propertyName, int... cells) {
        byte[] v = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            putBe32(v, i * 4, cells[i]);
        }
        return put(propertyName, v);
    }

    @Override
    public FdtNode property(String propertyName, byte[] raw) {
        return put(propertyName, raw.clone());
    }

    /** A {@code <u64>} property (two cells, high first), e.g. linux,initrd-start. */
    public FdtNode propertyU64(String propertyName, long value) {
        return property(propertyName, (int) (value >>> 32), (int) value);
    }

    @Override
    public FdtNode flag(String propertyName) {
        return put(propertyName, new byte[0]);
    }

    @Override
    public FdtNode reg(long base, long size) {
        int addressCells = parent == null ? 2 : parent.cells("#address-cells", 2);
        int sizeCells = parent == null ? 1 : parent.cells("#size-cells", 1);
        int[] cells = new int[addressCells + sizeCells];
        encode(cells, 0, addressCells, base, "address");
        encode(cells, addressCells, sizeCells, size, "size");
        return property("reg", cells);
    }

    @Override
    public FdtNode plicInterrupt(int irq) {
        int plic = tree.interruptParent();
        if (plic == 0) {
            throw new IllegalStateException("the tree has no interrupt controller yet; cannot wire " + path());
        }
        property("interrupts", irq);
        return property("interrupt-parent", plic);
    }

    @Override
    public int phandle() {
        if (phandle == 0) {
            phandle = tree.nextPhandle();
            property("phandle", phandle);
        }
        return phandle;
    }

    /** True when this node's {@code compatible} list contains {@code value}. */
    public boolean isCompatible(String value) {
        byte[] v = properties.get("compatible");
        if (v == null) {
            return false;
        }
        for (String s : new String(v, StandardCharsets.UTF_8).split("\0")) {
            if (s.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Depth-first search of this subtree for the first node compatible with {@code value}. */
    public Optional<FdtNode> findCompatible(String value) {
        if (isCompatible(value)) {
            return Optional.of(this);
        }
        for (FdtNode c : children) {
            Optional<FdtNode> hit = c.findCompatible(value);
            if (hit.isPresent()) {
                return hit;
            }
        }
        return Optional.empty();
    }

    private FdtNode put(String propertyName, byte[] value) {
        if (propertyName == null || !PROPERTY_NAME.matcher(propertyName).matches()) {
            throw new IllegalArgumentException("invalid device-tree property name '" + propertyName + "' in " + path());
        }
        properties.put(propertyName, value);
        return this;
    }

    private int cells(String propertyName, int defaultValue) {
        byte[] v = properties.get(propertyName);
        if (v == null || v.length != 4) {
            return defaultValue;
        }
        return ((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    private void encode(int[] cells, int at, int count, long value, String what) {
        if (count == 1 && (value >>> 32) != 0) {
            throw new IllegalArgumentException(path() + ": " + what + " 0x" + Long.toHexString(value) + " does not fit one cell");
        }
        if (count == 2) {
            cells[at] = (int) (value >>> 32);
            cells[at + 1] = (int) value;
        } else if (count == 1) {
            cells[at] = (int) value;
        } else if (count != 0) {
            throw new IllegalArgumentException(path() + ": unsupported #" + what + "-cells " + count);
        }
    }

    static void putBe32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    public String toString() {
        return path() + " " + properties.keySet() + " children=" + children.size();
    }
}
