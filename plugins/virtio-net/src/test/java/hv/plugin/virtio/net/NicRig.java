package hv.plugin.virtio.net;

import hv.api.device.DeviceOptions;
import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.ThreadVcpuAssist;
import hv.devices.virtio.VirtioMmioDevice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A virtio-net NIC on a fake backend, driven by hv.devices' mock virtio driver over 1 MiB of RAM,
 * with its work on a thread of its own or on a test thread lent as the VM's vCPUs ({@link Io}).
 */
final class NicRig implements AutoCloseable {

    /** Where the NIC's work runs; device tests run once per kind (JUnit's ParameterizedClass). */
    enum Io {
        /** {@code io=thread}: a worker thread of the device's own, even though the host lends vCPUs. */
        THREAD(",io=thread"),
        /** The default, {@code io=vcpu}: on the thread the host lends (here a test thread). */
        VCPU("");

        final String option;

        Io(String option) {
            this.option = option;
        }
    }

    final Io io;
    final ThreadVcpuAssist assist;
    final NetTestContext ctx;
    final VirtioMmioDevice device;
    final VirtioNetDevice nic;
    final FakeBackend backend;
    final MockVirtioDriver driver;
    final ArrayGuestMemory ram;

    NicRig(String extraOptions, Io io) throws Exception {
        this.io = io;
        assist = new ThreadVcpuAssist("virtio-net0-vcpu");
        ctx = new NetTestContext("virtio-net0", "test-vm", assist);
        device = (VirtioMmioDevice) new VirtioNetProvider().create(ctx, DeviceOptions.parse("virtio-net,net=fake" + extraOptions + io.option));
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
        // Opening the session is worker work: it asked the lent thread for a run only if it is on vCPUs.
        if ((assist.requests() > 0) != (io == Io.VCPU)) {
            throw new AssertionError("io=" + io + " but " + assist.requests() + " requests for the lent vCPU thread");
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
        try {
            assist.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
