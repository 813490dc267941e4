package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.Device;
import hv.api.device.DeviceOptions;
import hv.api.platform.VcpuAssist;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NicOptionsTest {

    @Test
    void nicKeysStayBackendKeysGoToTheBackend() throws Exception {
        NicOptions o = NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,connect=127.0.0.1:5555,mac=52:54:00:12:34:56,rx-queue=64"),
                "vm", "virtio-net0");
        assertEquals("stream", o.backendType());
        assertEquals(Map.of("connect", "127.0.0.1:5555"), o.backendOptions().asMap());
        assertEquals("stream", o.backendOptions().deviceType());
        assertEquals("52:54:00:12:34:56", o.mac().toString());
        assertEquals(64, o.rxQueueFrames());
        assertEquals(NicOptions.DEFAULT_QUEUE_SIZE, o.queueSize());
    }

    @Test
    void badValuesAreConfigurationErrors() {
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,connect=1"), "vm", "n0"));
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,mac=01:00:5e:00:00:01"), "vm", "n0"));
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,mac=52:54:00:12:34"), "vm", "n0"));
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,mac=52:54:00:12:34:zz"), "vm", "n0"));
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,queue-size=100"), "vm", "n0"));
        assertThrows(DeviceConfigException.class, () -> NicOptions.parse(DeviceOptions.parse("virtio-net,net=stream,rx-queue=1"), "vm", "n0"));
    }

    @Test
    void derivedMacsAreStableLocallyAdministeredUnicastAndDistinct() {
        MacAddress a = MacAddress.derive("web", "virtio-net0");
        assertEquals(a, MacAddress.derive("web", "virtio-net0"), "same VM, same NIC: same address every run");
        assertNotEquals(a, MacAddress.derive("web", "virtio-net1"), "second NIC differs");
        assertNotEquals(a, MacAddress.derive("db", "virtio-net0"), "another VM differs");
        for (String vm : new String[] {"a", "b", "c", "web", "db", "x1"}) {
            MacAddress m = MacAddress.derive(vm, "virtio-net0");
            assertEquals(0, m.octet(0) & 1, "unicast: " + m);
            assertEquals(2, m.octet(0) & 2, "locally administered: " + m);
        }
        assertTrue(a.toString().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), a.toString());
    }

    @Test
    void theProviderRefusesUnknownBackendsAndUnknownBackendOptions() throws Exception {
        NetTestContext ctx = new NetTestContext("virtio-net0", "vm");
        VirtioNetProvider p = new VirtioNetProvider();
        DeviceConfigException e = assertThrows(DeviceConfigException.class, () -> p.create(ctx, DeviceOptions.parse("virtio-net,net=carrier-pigeon")));
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
        assertThrows(DeviceConfigException.class, () -> p.create(ctx, DeviceOptions.parse("virtio-net,net=fake,colour=red")));
        // The host validates against options() first: backend keys must pass that check.
        DeviceOptions ok = DeviceOptions.parse("virtio-net,net=fake,peer=x");
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> ok.checkKnown(p.options()));
    }

    private static NicOptions parse(String spec) throws DeviceConfigException {
        return NicOptions.parse(DeviceOptions.parse(spec), "vm", "virtio-net0");
    }

    @Test
    void ioPicksWhereTheWorkRunsAndStaysANicKey() throws Exception {
        assertTrue(parse("virtio-net,net=stream,connect=127.0.0.1:5555").workOnVcpus(), "vcpu by default");
        assertTrue(parse("virtio-net,net=stream,io=vcpu").workOnVcpus());
        NicOptions thread = parse("virtio-net,net=stream,connect=127.0.0.1:5555,io=thread");
        assertFalse(thread.workOnVcpus());
        assertEquals(Map.of("connect", "127.0.0.1:5555"), thread.backendOptions().asMap(), "io is not the backend's");
    }

    @Test
    void aBadIoValueIsAConfigurationErrorThatNamesIt() {
        DeviceConfigException e = assertThrows(DeviceConfigException.class, () -> parse("virtio-net,net=stream,io=kernel"));
        assertTrue(e.getMessage().contains("kernel") && e.getMessage().contains("io"), e.getMessage());
        assertThrows(DeviceConfigException.class, () -> parse("virtio-net,net=stream,io=vcpus"));
    }

    /** io=vcpu registers the NIC's work with the host's VcpuAssist; io=thread, or a host without one, does not. */
    @Test
    void theProviderLendsTheWorkToTheVcpusOnlyForIoVcpu() throws Exception {
        List<String> registered = new ArrayList<>();
        VcpuAssist assist = (name, drain) -> {
            registered.add(name);
            return () -> { };
        };
        VirtioNetProvider p = new VirtioNetProvider();
        Device onVcpus = p.create(new NetTestContext("virtio-net0", "vm", assist), DeviceOptions.parse("virtio-net,net=fake"));
        onVcpus.close();
        assertEquals(1, registered.size(), "the default io=vcpu registers one drain: " + registered);
        Device onThread = p.create(new NetTestContext("virtio-net1", "vm", assist), DeviceOptions.parse("virtio-net,net=fake,io=thread"));
        onThread.close();
        assertEquals(1, registered.size(), "io=thread registered a drain: " + registered);
        Device noAssist = p.create(new NetTestContext("virtio-net2", "vm"), DeviceOptions.parse("virtio-net,net=fake,io=vcpu"));
        noAssist.close(); // a host with no vCPUs to lend: a thread of its own, no error
    }
}
