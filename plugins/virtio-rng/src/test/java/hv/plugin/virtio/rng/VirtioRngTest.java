package hv.plugin.virtio.rng;

import hv.api.device.Device;
import hv.api.device.DeviceOptions;
import hv.devices.testing.DeviceTreeProbe;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import hv.devices.testing.TestDeviceContext;
import hv.devices.virtio.VirtioError;
import hv.devices.virtio.VirtioFeatures;
import hv.devices.virtio.VirtioMmioDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** virtio-rng driven through the real virtio-mmio transport by a mock driver. */
class VirtioRngTest {

    private final TestDeviceContext ctx = TestDeviceContext.virtioSlot0("virtio-rng0");
    private VirtioMmioDevice device;
    private MockVirtioDriver driver;

    @BeforeEach
    void bringUp() throws Exception {
        Device d = new VirtioRngProvider().create(ctx, DeviceOptions.parse("virtio-rng"));
        device = (VirtioMmioDevice) d;
        device.start();
        driver = new MockVirtioDriver(device.mmio(), ctx.ram());
        assertEquals(4, driver.reg(0x008), "device id 4: entropy source");
        driver.initialize(VirtioFeatures.TRANSPORT_OFFERED);
        driver.setupQueue(0, 16);
        driver.driverOk();
    }

    @AfterEach
    void close() {
        device.close();
    }

    private byte[] request(int len) {
        long buf = driver.alloc(len, 8);
        int head = driver.chain(0, Buf.out(buf, len));
        driver.submit(0, head);
        Used u = driver.waitUsed(0);
        assertNotNull(u, "request not served");
        assertEquals(head, u.id());
        return driver.ram().get(buf, u.len());
    }

    @Test
    void fillsTheBufferWithRandomBytesAndInterrupts() {
        byte[] a = request(64);
        byte[] b = request(64);
        assertEquals(64, a.length);
        assertFalse(Arrays.equals(a, b), "two requests give different bytes");
        assertFalse(Arrays.equals(a, new byte[64]), "not all zero");
        // The used index is published before the worker raises the interrupt: wait for the line.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ctx.line().isHigh() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(ctx.line().isHigh(), "the device interrupts after completing the requests");
        assertEquals(1, driver.takeInterrupt() & 1);
        assertFalse(ctx.line().isHigh());
    }

    @Test
    void hugeRequestsAreCappedPerRequest() {
        assertEquals(VirtioRng.MAX_PER_REQUEST, request(200_000).length);
    }

    @Test
    void indirectAndMultiBufferRequests() {
        long a = driver.alloc(10, 8);
        long b = driver.alloc(30, 8);
        int head = driver.indirectChain(0, Buf.out(a, 10), Buf.out(b, 30));
        driver.submit(0, head);
        assertEquals(40, driver.waitUsed(0).len());
    }

    @Test
    void aRequestWithNothingWritableCompletesEmpty() {
        long a = driver.alloc(16, 8);
        int head = driver.chain(0, Buf.in(a, 16));
        driver.submit(0, head);
        assertEquals(0, driver.waitUsed(0).len());
        assertEquals(1, device.transport().errors().count(VirtioError.BAD_REQUEST));
        assertEquals(32, request(32).length, "still serving");
    }

    @Test
    void resetAndReinitialize() {
        request(8);
        driver.reset();
        assertEquals(0, driver.status());
        driver.initialize(VirtioFeatures.VERSION_1);
        driver.setupQueue(0, 8);
        driver.driverOk();
        assertEquals(8, request(8).length);
    }

    @Test
    void pauseHoldsRequestsUntilResume() throws Exception {
        device.pause();
        long buf = driver.alloc(8, 8);
        driver.submit(0, driver.chain(0, Buf.out(buf, 8)));
        assertEquals(null, driver.waitUsed(0, java.time.Duration.ofMillis(100)), "paused: guest memory untouched");
        device.resume();
        assertNotNull(driver.waitUsed(0));
    }

    @Test
    void deviceTreeNodeIsAVirtioMmioSlot() {
        Map<String, byte[]> node = DeviceTreeProbe.node(device, "virtio_mmio@10001000");
        assertArrayEquals(DeviceTreeProbe.strings("virtio,mmio"), node.get("compatible"));
        assertArrayEquals(DeviceTreeProbe.cells(0, 0x1000_1000, 0, 0x1000), node.get("reg"));
        assertArrayEquals(DeviceTreeProbe.cells(1), node.get("interrupts"));
    }
}
