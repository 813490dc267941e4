package hv.plugin.virtio.net;

import hv.api.device.DeviceOptions;
import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.virtio.VirtioMmioDevice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A virtio-net NIC on a fake backend, driven by hv.devices' mock virtio driver over 1 MiB of RAM. */
final class NicRig implements AutoCloseable {
    final NetTestContext ctx;
    final VirtioMmioDevice device;
    final VirtioNetDevice nic;
    final FakeBackend backend;
    final MockVirtioDriver driver;
    final ArrayGuestMemory ram;

    NicRig(String extraOptions) throws Exception {
        ctx = new NetTestContext("virtio-net0", "test-vm");
        device = (VirtioMmioDevice) new VirtioNetProvider().create(ctx, DeviceOptions.parse("virtio-net,net=fake" + extraOptions));
        nic = (VirtioNetDevice) device.transport().device();
        backend = ctx.fake.last;
        ram = ctx.base.ram();
        driver = new MockVirtioDriver(device.transport(), ram);
        device.start();
    }

    /** 3.1.1 bring-up with all offered features, both queues of {@code size}, DRIVER_OK. */
    NicRig up(int size) {
        return up(size, -1L);
    }

    /** As {@link #up(int)}, negotiating only the offered features within {@code wanted}. */
    NicRig up(int size, long wanted) {
        driver.initialize(wanted);
        driver.setupQueue(VirtioNetDevice.RX_QUEUE, size);
        driver.setupQueue(VirtioNetDevice.TX_QUEUE, size);
        driver.driverOk();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!nic.receiving()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the NIC never opened its session after DRIVER_OK");
            }
            Thread.onSpinWait();
        }
        return this;
    }

    /** Posts one receive buffer of {@code len} bytes; returns its guest address. */
    long postRx(int len) {
        long buf = driver.alloc(len, 8);
        int head = driver.chain(VirtioNetDevice.RX_QUEUE, Buf.out(buf, len));
        driver.submit(VirtioNetDevice.RX_QUEUE, head);
        return buf;
    }

    /** Queues one frame for transmission with a header of the given flags/gso_type, header and frame in separate buffers. */
    int transmit(byte[] frame, int flags, int gso) {
        long hdr = driver.alloc(12, 8);
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, (byte) flags).put(1, (byte) gso);
        ram.put(hdr, h.array());
        long data = driver.alloc(frame.length, 8);
        ram.put(data, frame);
        int head = driver.chain(VirtioNetDevice.TX_QUEUE, Buf.in(hdr, 12), Buf.in(data, frame.length));
        driver.submit(VirtioNetDevice.TX_QUEUE, head);
        return head;
    }

    /** Queues one frame with NEEDS_CSUM and the given csum_start/csum_offset. */
    int transmitWithChecksum(byte[] frame, int csumStart, int csumOffset) {
        long hdr = driver.alloc(12, 8);
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, (byte) VirtioNetHeader.F_NEEDS_CSUM).putShort(6, (short) csumStart).putShort(8, (short) csumOffset);
        ram.put(hdr, h.array());
        long data = driver.alloc(frame.length, 8);
        ram.put(data, frame);
        int head = driver.chain(VirtioNetDevice.TX_QUEUE, Buf.in(hdr, 12), Buf.in(data, frame.length));
        driver.submit(VirtioNetDevice.TX_QUEUE, head);
        return head;
    }

    static byte[] frame(int length, int seq) {
        byte[] f = new byte[length];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) 0xff;
        }
        f[6] = 0x02;
        f[11] = (byte) seq;
        f[12] = 0x08;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq + i * 7);
        }
        return f;
    }

    @Override
    public void close() {
        device.close();
    }
}
