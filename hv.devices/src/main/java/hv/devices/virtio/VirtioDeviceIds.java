package hv.devices.virtio;

/** Device IDs of virtio 1.2, section 5 ("Device Types"). */
public final class VirtioDeviceIds {
    public static final int NET = 1;
    public static final int BLOCK = 2;
    public static final int CONSOLE = 3;
    public static final int ENTROPY = 4;

    private VirtioDeviceIds() {
    }
}
