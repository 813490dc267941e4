package hv.devices.fdt;

import java.util.ArrayList;
import java.util.List;

/**
 * A device tree under construction: the root node, the phandle allocator, the interrupt parent
 * that {@link FdtNode#plicInterrupt} points at, and the memory reservation block. Call
 * {@link #toDtb(int)} when complete.
 */
public final class DeviceTree {

    /** One entry of the memory reservation block (DT spec 5.3). */
    public record Reservation(long address, long size) {
    }

    private final FdtNode root = new FdtNode(this, null, "");
    private final List<Reservation> reservations = new ArrayList<>();
    private int lastPhandle;
    private int interruptParent;

    public FdtNode root() {
        return root;
    }

    int nextPhandle() {
        return ++lastPhandle;
    }

    /** The phandle plicInterrupt() refers to; 0 until {@link #setInterruptParent} was called. */
    public int interruptParent() {
        return interruptParent;
    }

    public void setInterruptParent(FdtNode controller) {
        this.interruptParent = controller.phandle();
    }

    public void reserve(long address, long size) {
        reservations.add(new Reservation(address, size));
    }

    public List<Reservation> reservations() {
        return List.copyOf(reservations);
    }

    /** Encodes the tree as a DTB blob (version 17, last compatible 16). */
    public byte[] toDtb(int bootCpuId) {
        return DtbEncoder.encode(this, bootCpuId);
    }
}
