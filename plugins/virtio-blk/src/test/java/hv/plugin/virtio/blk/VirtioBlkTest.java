package hv.plugin.virtio.blk;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import hv.devices.testing.TestDeviceContext;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.VirtioFeatures;
import hv.devices.virtio.VirtioMmioDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** virtio-blk (virtio 1.2 section 5.2) driven through the real transport by a mock driver. */
class VirtioBlkTest {

    private static final int SECTORS = 64;

    @TempDir
    Path tmp;
    private final TestDeviceContext ctx = TestDeviceContext.virtioSlot0("virtio-blk0");
    private final List<VirtioMmioDevice> open = new ArrayList<>();
    private MockVirtioDriver driver;
    private VirtioMmioDevice device;
    private Path image;

    @AfterEach
    void close() {
        open.forEach(VirtioMmioDevice::close);
    }

    private void bringUp(String extraOptions) throws Exception {
        image = tmp.resolve("disk.img");
        byte[] content = new byte[SECTORS * 512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 512); // each sector filled with its number
        }
        Files.write(image, content);
        device = create("virtio-blk,file=" + image + extraOptions);
        device.start();
        driver = new MockVirtioDriver(device.mmio(), ctx.ram());
        assertEquals(2, driver.reg(0x008), "device id 2: block");
        driver.initialize(-1L);
        driver.setupQueue(0, 128);
        driver.driverOk();
    }

    private VirtioMmioDevice create(String spec) throws DeviceConfigException {
        VirtioMmioDevice d = (VirtioMmioDevice) new VirtioBlkProvider().create(ctx, DeviceOptions.parse(spec));
        open.add(d);
        return d;
    }

    private long header(int type, long sector) {
        long h = driver.alloc(16, 8);
        ctx.ram().put(h, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector).array());
        return h;
    }

    /** Submits a request and returns {used length, status byte}. */
    private int[] run(Buf... bufs) {
        int head = driver.chain(0, bufs);
        driver.submit(0, head);
        Used u = driver.waitUsed(0);
        assertNotNull(u, "request not completed");
        assertEquals(head, u.id());
        Buf last = bufs[bufs.length - 1];
        int status = last.writable() ? ctx.ram().get(last.addr() + last.len() - 1, 1)[0] : -1;
        return new int[]{u.len(), status};
    }

    private long statusByte() {
        return driver.alloc(1, 1);
    }

    @Test
    void configSpaceDescribesTheDisk() throws Exception {
        bringUp("");
        assertEquals(SECTORS, driver.config(0, 8), "capacity in 512-byte sectors");
        assertEquals(VirtioBlk.SIZE_MAX, driver.config(8, 4));
        assertEquals(VirtioBlk.SEG_MAX, driver.config(12, 4));
        assertEquals(512, driver.config(20, 4), "blk_size");
        long f = device.transport().negotiatedFeatures();
        assertEquals(VirtioBlk.F_SIZE_MAX | VirtioBlk.F_SEG_MAX | VirtioBlk.F_BLK_SIZE | VirtioBlk.F_FLUSH
                | VirtioFeatures.TRANSPORT_OFFERED, f, "no RO on a writable disk");
    }

    @Test
    void writeThenReadBackAcrossSegments() throws Exception {
        bringUp("");
        byte[] data = new byte[1024];
        new java.util.Random(1).nextBytes(data);
        long d1 = driver.alloc(300, 8);
        long d2 = driver.alloc(724, 8);
        ctx.ram().put(d1, Arrays.copyOfRange(data, 0, 300));
        ctx.ram().put(d2, Arrays.copyOfRange(data, 300, 1024));
        long st = statusByte();
        int[] r = run(Buf.in(header(VirtioBlk.T_OUT, 5), 16), Buf.in(d1, 300), Buf.in(d2, 724), Buf.out(st, 1));
        assertEquals(1, r[0], "only the status byte was written");
        assertEquals(VirtioBlk.S_OK, r[1]);
        byte[] onDisk = Arrays.copyOfRange(Files.readAllBytes(image), 5 * 512, 7 * 512);
        assertArrayEquals(data, onDisk);

        long i1 = driver.alloc(1000, 8);
        long i2 = driver.alloc(24, 8);
        long st2 = statusByte();
        r = run(Buf.in(header(VirtioBlk.T_IN, 5), 16), Buf.out(i1, 1000), Buf.out(i2, 24), Buf.out(st2, 1));
        assertEquals(1025, r[0], "data + status");
        assertEquals(VirtioBlk.S_OK, r[1]);
        byte[] back = new byte[1024];
        System.arraycopy(ctx.ram().get(i1, 1000), 0, back, 0, 1000);
        System.arraycopy(ctx.ram().get(i2, 24), 0, back, 1000, 24);
        assertArrayEquals(data, back);
    }

    @Test
    void readWithStatusSharingTheLastDataBuffer() throws Exception {
        bringUp("");
        long buf = driver.alloc(513, 8);
        int[] r = run(Buf.in(header(VirtioBlk.T_IN, 3), 16), Buf.out(buf, 513));
        assertEquals(513, r[0]);
        assertEquals(VirtioBlk.S_OK, r[1]);
        assertEquals(3, ctx.ram().get(buf, 1)[0], "sector 3 holds 3s");
    }

    @Test
    void outOfRangeSectorsAreIoErrors() throws Exception {
        bringUp("");
        long buf = driver.alloc(513, 8);
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_IN, SECTORS), 16), Buf.out(buf, 513))[1]);
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_IN, SECTORS - 1), 16), Buf.out(driver.alloc(1025, 8), 1025))[1],
                "second sector past the end");
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_IN, Long.MAX_VALUE / 256), 16), Buf.out(buf, 513))[1],
                "sector * 512 would overflow");
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_OUT, -1), 16), Buf.in(buf, 512), Buf.out(statusByte(), 1))[1]);
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_IN, 0), 16), Buf.out(buf, 101))[1],
                "100 bytes is not whole sectors");
        assertEquals(VirtioBlk.S_OK, run(Buf.in(header(VirtioBlk.T_IN, SECTORS - 1), 16), Buf.out(buf, 513))[1],
                "the last sector is fine");
    }

    @Test
    void readonlyDisksRefuseWrites() throws Exception {
        bringUp(",readonly=on");
        assertTrue((device.transport().negotiatedFeatures() & VirtioBlk.F_RO) != 0, "RO offered");
        byte[] before = Files.readAllBytes(image);
        long buf = driver.alloc(512, 8);
        ctx.ram().fill(buf, 512, (byte) 0x77);
        assertEquals(VirtioBlk.S_IOERR, run(Buf.in(header(VirtioBlk.T_OUT, 0), 16), Buf.in(buf, 512), Buf.out(statusByte(), 1))[1]);
        assertArrayEquals(before, Files.readAllBytes(image));
        assertEquals(VirtioBlk.S_OK, run(Buf.in(header(VirtioBlk.T_IN, 0), 16), Buf.out(driver.alloc(513, 8), 513))[1]);
    }

    @Test
    void flushAndGetId() throws Exception {
        bringUp(",serial=HV-DISK-0001");
        assertEquals(VirtioBlk.S_OK, run(Buf.in(header(VirtioBlk.T_FLUSH, 0), 16), Buf.out(statusByte(), 1))[1]);
        long id = driver.alloc(20, 8);
        int[] r = run(Buf.in(header(VirtioBlk.T_GET_ID, 0), 16), Buf.out(id, 20), Buf.out(statusByte(), 1));
        assertEquals(21, r[0]);
        assertEquals(VirtioBlk.S_OK, r[1]);
        byte[] expected = Arrays.copyOf("HV-DISK-0001".getBytes(), 20);
        assertArrayEquals(expected, ctx.ram().get(id, 20));
    }

    @Test
    void malformedRequestsAreUnsupportedOrDropped() throws Exception {
        bringUp("");
        assertEquals(VirtioBlk.S_UNSUPP, run(Buf.in(header(99, 0), 16), Buf.out(statusByte(), 1))[1], "unknown type");
        long shortHeader = header(VirtioBlk.T_IN, 0);
        assertEquals(VirtioBlk.S_UNSUPP, run(Buf.in(shortHeader, 8), Buf.out(statusByte(), 1))[1], "8-byte header");
        int[] r = run(Buf.in(header(VirtioBlk.T_IN, 0), 16));
        assertEquals(0, r[0], "no status byte: returned empty");
        assertTrue(device.transport().errors().count(VirtioError.BAD_REQUEST) >= 2);
        // A data buffer outside guest RAM: the transport drops the whole chain.
        int head = driver.chain(0, Buf.in(header(VirtioBlk.T_IN, 0), 16), Buf.out(0x10_0000L, 512), Buf.out(statusByte(), 1));
        driver.submit(0, head);
        assertEquals(0, driver.waitUsed(0).len());
        assertEquals(VirtioBlk.S_OK, run(Buf.in(header(VirtioBlk.T_IN, 1), 16), Buf.out(driver.alloc(513, 8), 513))[1],
                "still serving");
    }

    @Test
    void indirectRequests() throws Exception {
        bringUp("");
        long buf = driver.alloc(512, 8);
        long st = statusByte();
        int head = driver.indirectChain(0, Buf.in(header(VirtioBlk.T_IN, 7), 16), Buf.out(buf, 512), Buf.out(st, 1));
        driver.submit(0, head);
        assertEquals(513, driver.waitUsed(0).len());
        assertEquals(7, ctx.ram().get(buf, 1)[0]);
    }

    @Test
    void badOptionsGiveOneLineErrors() throws Exception {
        Path tiny = Files.write(tmp.resolve("tiny.img"), new byte[100]);
        Path ok = Files.write(tmp.resolve("ok.img"), new byte[4096]);
        assertMessage("option 'file' is required", "virtio-blk");
        assertMessage("no such disk image", "virtio-blk,file=" + tmp.resolve("missing.img"));
        assertMessage("smaller than one 512-byte sector", "virtio-blk,file=" + tiny);
        assertMessage("serial must be at most 20", "virtio-blk,file=" + ok + ",serial=012345678901234567890");
        assertMessage("must be on or off", "virtio-blk,file=" + ok + ",readonly=maybe");
        assertMessage("unknown option 'cache'", "virtio-blk,file=" + ok + ",cache=none");
        create("virtio-blk,file=" + ok);
        assertMessage("in use", "virtio-blk,file=" + ok);
    }

    private void assertMessage(String part, String spec) {
        DeviceConfigException e = assertThrows(DeviceConfigException.class, () -> create(spec));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
