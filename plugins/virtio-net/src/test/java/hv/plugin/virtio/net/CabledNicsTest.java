package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.GuestMemory;
import hv.api.device.HostConsole;
import hv.api.device.InterruptLine;
import hv.api.net.NetworkBackendProvider;
import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;
import hv.api.platform.VcpuAssist;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.TestDeviceContext;
import hv.devices.testing.ThreadVcpuAssist;
import hv.devices.virtio.VirtioMmioDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two virtio-net NICs, each driven by a mock virtio driver over its own guest RAM, cabled through
 * the real socket backends (found by ServiceLoader, as HV finds them) on loopback: guest A's
 * transmit ring to guest B's receive ring, the link status following the cable, and a flood
 * into a guest that posts no buffers staying bounded.
 */
@Timeout(60)
@ParameterizedClass
@EnumSource(NicRig.Io.class)
class CabledNicsTest {
    /** Every test runs with each NIC's work on a thread of its own and on a lent vCPU thread. */
    @Parameter
    NicRig.Io io;

    /** A device context whose network backends are the installed NetworkBackendProviders, and a lent "vCPU". */
    static final class Ctx implements DeviceContext {
        final TestDeviceContext base;
        final ThreadVcpuAssist assist;

        Ctx(String name) {
            base = TestDeviceContext.virtioSlot0(name);
            assist = new ThreadVcpuAssist(name + "-vcpu");
        }

        @Override public Optional<VcpuAssist> vcpuAssist() { return Optional.of(assist); }

        @Override public String instanceName() { return base.instanceName(); }
        @Override public long mmioBase() { return base.mmioBase(); }
        @Override public long mmioSize() { return base.mmioSize(); }
        @Override public int irq() { return base.irq(); }
        @Override public InterruptLine interruptLine() { return base.interruptLine(); }
        @Override public GuestMemory guestMemory() { return base.guestMemory(); }
        @Override public GuestClock clock() { return base.clock(); }
        @Override public HostConsole console() { return base.console(); }
        @Override public MachineControl machine() { return base.machine(); }
        @Override public String vmName() { return "cabled"; }
        @Override public System.Logger logger() { return base.logger(); }

        @Override
        public <T> T service(Class<T> kind, String name) throws DeviceConfigException {
            if (kind == NetworkBackendProvider.class) {
                for (NetworkBackendProvider p : ServiceLoader.load(NetworkBackendProvider.class)) {
                    if (p.type().equals(name)) {
                        return kind.cast(p);
                    }
                }
            }
            throw new DeviceConfigException("no " + kind.getSimpleName() + " " + name);
        }
    }

    /** One guest: NIC + driver, brought up. */
    final class Guest implements AutoCloseable {
        final Ctx ctx;
        final VirtioMmioDevice device;
        final VirtioNetDevice nic;
        final MockVirtioDriver driver;

        Guest(String name, String spec) throws Exception {
            ctx = new Ctx(name);
            device = (VirtioMmioDevice) new VirtioNetProvider().create(ctx, DeviceOptions.parse(spec + io.option));
            nic = (VirtioNetDevice) device.transport().device();
            driver = new MockVirtioDriver(device.transport(), ctx.base.ram());
            device.start();
            driver.initialize(-1L);
            driver.setupQueue(0, 64);
            driver.setupQueue(1, 64);
            driver.driverOk();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!nic.receiving()) {
                assertTrue(System.nanoTime() < deadline);
                Thread.onSpinWait();
            }
            assertEquals(io == NicRig.Io.VCPU, ctx.assist.requests() > 0, "io=" + io + ": the NIC's work on the lent thread?");
        }

        long postRx() {
            long buf = driver.alloc(1526, 8);
            driver.submit(0, driver.chain(0, Buf.out(buf, 1526)));
            return buf;
        }

        void send(byte[] frame) {
            long hdr = driver.alloc(12 + frame.length, 8);
            ctx.base.ram().put(hdr + 12, frame);
            driver.submit(1, driver.chain(1, Buf.in(hdr, 12 + frame.length)));
            assertNotNull(driver.waitUsed(1));
        }

        long linkStatus() {
            return driver.config(6, 2);
        }

        @Override
        public void close() {
            device.close();
            try {
                ctx.assist.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void framesCrossAStreamCableBetweenTwoGuestsAndTheLinkFollowsThePeer() throws Exception {
        int port = freePort();
        try (Guest b = new Guest("virtio-net1", "virtio-net,net=stream,connect=127.0.0.1:" + port + ",backoff-max=200")) {
            Guest a = new Guest("virtio-net0", "virtio-net,net=stream,listen=127.0.0.1:" + port);
            waitFor(() -> a.linkStatus() == 1 && b.linkStatus() == 1, "both links up");
            for (int i = 0; i < 20; i++) {
                long buf = b.postRx();
                byte[] f = NicRig.frame(60 + i * 70, i);
                a.send(f);
                MockVirtioDriver.Used u = b.driver.waitUsed(0);
                assertNotNull(u, "frame " + i + " did not reach guest B");
                assertEquals(12 + f.length, u.len());
                assertArrayEquals(f, b.ctx.base.ram().get(buf + 12, f.length));
            }
            // Guest A's NIC goes away (VM killed): B's link goes down, and comes back with a new A.
            a.close();
            waitFor(() -> b.linkStatus() == 0, "B's link down after A died");
            try (Guest a2 = new Guest("virtio-net0", "virtio-net,net=stream,listen=127.0.0.1:" + port)) {
                waitFor(() -> b.linkStatus() == 1, "B's link up again");
                long buf = a2.postRx();
                byte[] f = NicRig.frame(99, 42);
                b.send(f);
                assertNotNull(a2.driver.waitUsed(0));
                assertArrayEquals(f, a2.ctx.base.ram().get(buf + 12, 99), "traffic resumes after the reconnect");
            }
        }
    }

    @Test
    void framesCrossADgramCable() throws Exception {
        int pa = freePort();
        int pb = freePort();
        try (Guest a = new Guest("virtio-net0", "virtio-net,net=dgram,local=127.0.0.1:" + pa + ",remote=127.0.0.1:" + pb);
             Guest b = new Guest("virtio-net1", "virtio-net,net=dgram,local=127.0.0.1:" + pb + ",remote=127.0.0.1:" + pa)) {
            long buf = b.postRx();
            byte[] f = NicRig.frame(1514, 7);
            a.send(f);
            assertNotNull(b.driver.waitUsed(0));
            assertArrayEquals(f, b.ctx.base.ram().get(buf + 12, 1514));
        }
    }

    /**
     * Guest A floods; guest B posts no receive buffers. B's NIC holds at most its rx-queue, then
     * pauses its backend; TCP pushes back to A, whose backend drops beyond its budget. Nothing
     * grows without bound, A's guest is never blocked, and B gets frames again once it posts
     * buffers.
     */
    @Test
    void aFloodIntoAGuestThatDoesNotDrainStaysBounded() throws Exception {
        int port = freePort();
        try (Guest b = new Guest("virtio-net1", "virtio-net,net=stream,listen=127.0.0.1:" + port + ",rx-queue=32");
             Guest a = new Guest("virtio-net0", "virtio-net,net=stream,connect=127.0.0.1:" + port + ",tx-budget=262144")) {
            waitFor(() -> a.linkStatus() == 1 && b.linkStatus() == 1, "links up");
            byte[] f = NicRig.frame(1400, 1);
            long hdr = a.driver.alloc(12 + f.length, 8);
            a.ctx.base.ram().put(hdr + 12, f);
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                a.driver.submit(1, a.driver.chain(1, Buf.in(hdr, 12 + f.length)));
                assertNotNull(a.driver.waitUsed(1), "A's transmit completes even though nobody drains");
            }
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(seconds < 30, "transmit stayed fast: " + seconds + " s");
            waitFor(() -> b.nic.counters().get("rx_dropped_queue_full") > 0, "B's NIC refusing");
            long dropped = a.nic.counters().get("tx_dropped");
            assertTrue(dropped > 0, "A's backend dropped past its budget: " + a.nic.counters());
            // 20k frames of 1.4 KB = 28 MB offered; what got through is bounded by B's queue + socket buffers.
            assertTrue(a.nic.counters().get("tx_frames") < 20_000, a.nic.counters().toString());
            // B drains: frames flow again.
            long buf = b.postRx();
            MockVirtioDriver.Used u = b.driver.waitUsed(0);
            assertNotNull(u);
            assertEquals(12 + 1400, u.len());
            assertEquals(0x08, b.ctx.base.ram().get(buf + 12 + 12, 1)[0]);
        }
    }
}
