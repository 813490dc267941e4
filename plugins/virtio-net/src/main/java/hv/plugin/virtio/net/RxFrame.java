package hv.plugin.virtio.net;

import java.nio.ByteBuffer;

/** A frame on its way from the backend to the guest: a reusable buffer and the bytes used. */
final class RxFrame {
    final byte[] data;
    int length;
    /** A view of {@link #data} made once, so copying into guest buffers allocates nothing. */
    final ByteBuffer view;

    RxFrame(int capacity) {
        this.data = new byte[capacity];
        this.view = ByteBuffer.wrap(data);
    }
}
