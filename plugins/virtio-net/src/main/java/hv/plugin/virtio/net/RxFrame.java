package hv.plugin.virtio.net;

/** A frame on its way from the backend to the guest: a reusable buffer and the bytes used. */
final class RxFrame {
    final byte[] data;
    int length;

    RxFrame(int capacity) {
        this.data = new byte[capacity];
    }
}
