package hv.plugin.virtio.console;

import hv.api.device.DeviceOptions;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.MockVirtioDriver.Used;
import hv.devices.testing.TestDeviceContext;
import hv.devices.virtio.VirtioFeatures;
import hv.devices.virtio.VirtioMmioDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** virtio-console's single port, driven by a mock driver. */
class VirtioConsoleTest {

    private final TestDeviceContext ctx = TestDeviceContext.virtioSlot0("virtio-console0");
    private VirtioMmioDevice device;
    private MockVirtioDriver driver;

    @BeforeEach
    void bringUp() throws Exception {
        device = (VirtioMmioDevice) new VirtioConsoleProvider().create(ctx, DeviceOptions.parse("virtio-console"));
        device.start();
        driver = new MockVirtioDriver(device.mmio(), ctx.ram());
        assertEquals(3, driver.reg(0x008), "device id 3: console");
        driver.initialize(VirtioFeatures.TRANSPORT_OFFERED);
        driver.setupQueue(0, 16);
        driver.setupQueue(1, 16);
        driver.driverOk();
    }

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void guestOutputReachesTheHostConsole() throws Exception {
        byte[] msg = "login: ".getBytes(StandardCharsets.US_ASCII);
        long buf = driver.alloc(msg.length, 8);
        ctx.ram().put(buf, msg);
        driver.submit(1, driver.chain(1, Buf.in(buf, 3), Buf.in(buf + 3, msg.length - 3)));
        Used u = driver.waitUsed(1);
        assertNotNull(u);
        assertEquals(0, u.len());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!ctx.testConsole().printed().equals("login: ") && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals("login: ", ctx.testConsole().printed());
    }

    @Test
    void keystrokesFillReceiveBuffersAndWaitWhenThereAreNone() {
        ctx.testConsole().type("ls\n");
        assertNull(driver.waitUsed(0, Duration.ofMillis(100)), "no receive buffer yet");
        long buf = driver.alloc(64, 8);
        driver.submit(0, driver.chain(0, Buf.out(buf, 64)));
        StringBuilder got = new StringBuilder();
        while (got.length() < 3) {
            Used u = driver.waitUsed(0);
            assertNotNull(u, "keys not delivered: " + got);
            got.append(new String(ctx.ram().get(buf, u.len()), StandardCharsets.US_ASCII));
            if (got.length() < 3) {
                driver.submit(0, driver.chain(0, Buf.out(buf, 64)));
            }
        }
        assertEquals("ls\n", got.toString());
    }

    @Test
    void ctrlAxQuits() throws Exception {
        ctx.testConsole().type(new byte[]{0x01, 'x'});
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ctx.testConsole().quitRequests() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(1, ctx.testConsole().quitRequests());
    }
}
