package hv.devices.virtio;

import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.MockVirtioDriver;
import hv.devices.testing.MockVirtioDriver.Buf;
import hv.devices.testing.RecordingLine;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Transport + echo device + mock driver over 1 MiB of guest RAM at 0x80000000. */
final class EchoRig implements AutoCloseable {
    static final long RAM = 0x8000_0000L;

    final ArrayGuestMemory ram = new ArrayGuestMemory(RAM, 1 << 20);
    final RecordingLine line = new RecordingLine();
    final EchoDevice device;
    final VirtioMmioTransport transport;
    final MockVirtioDriver driver;
    private int counter;

    EchoRig(boolean async) {
        device = new EchoDevice(async);
        transport = new VirtioMmioTransport("echo0", device, ram, line, System.getLogger("hv.test.echo"));
        driver = new MockVirtioDriver(transport, ram);
    }

    /** Full bring-up with every transport feature and an 8-entry queue. */
    EchoRig up() {
        return up(VirtioFeatures.TRANSPORT_OFFERED, 8);
    }

    EchoRig up(long features, int queueSize) {
        driver.initialize(features);
        driver.setupQueue(0, queueSize);
        driver.driverOk();
        return this;
    }

    VirtioErrors errors() {
        return transport.errors();
    }

    /** A well-formed request must still be served correctly, both direct and indirect. */
    void assertServesGoodRequests() {
        for (boolean indirect : new boolean[]{false, true}) {
            if (indirect && (transport.negotiatedFeatures() & VirtioFeatures.RING_INDIRECT_DESC) == 0) {
                continue;
            }
            byte[] msg = ("hello " + (counter++)).getBytes(StandardCharsets.US_ASCII);
            long in = driver.alloc(msg.length, 8);
            long out = driver.alloc(64, 8);
            ram.put(in, msg);
            int head = indirect
                    ? driver.indirectChain(0, Buf.in(in, msg.length), Buf.out(out, 64))
                    : driver.chain(0, Buf.in(in, msg.length), Buf.out(out, 64));
            driver.submit(0, head);
            MockVirtioDriver.Used u = driver.waitUsed(0);
            assertNotNull(u, "good request not served (indirect=" + indirect + ")");
            assertEquals(head, u.id());
            assertEquals(msg.length, u.len());
            assertArrayEquals(msg, ram.get(out, msg.length));
        }
        assertEquals(java.util.List.of(), device.violations);
    }

    /** Reset + full re-initialization, as a driver does after DEVICE_NEEDS_RESET. */
    void recover() {
        up();
    }

    @Override
    public void close() {
        device.close();
    }
}
