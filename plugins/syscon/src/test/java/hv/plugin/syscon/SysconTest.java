package hv.plugin.syscon;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.Placement;
import hv.devices.testing.ArrayGuestMemory;
import hv.devices.testing.TestDeviceContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SysconTest {

    private final TestDeviceContext ctx = new TestDeviceContext("syscon0", 0x100000, 0x1000, 0,
            new ArrayGuestMemory(0x8000_0000L, 4096));

    private Device create() throws DeviceConfigException {
        return new SysconProvider().create(ctx, DeviceOptions.parse("syscon"));
    }

    @Test
    void passPowersOffWithZero() throws Exception {
        create().mmio().write(0, 4, 0x5555);
        assertEquals(List.of("poweroff 0"), ctx.recordingMachine().requests());
    }

    @Test
    void resetReboots() throws Exception {
        create().mmio().write(0, 4, 0x7777);
        assertEquals(List.of("reboot"), ctx.recordingMachine().requests());
    }

    @Test
    void failCarriesTheExitCodeInTheUpperHalf() throws Exception {
        Device d = create();
        d.mmio().write(0, 4, (42L << 16) | 0x3333);
        d.mmio().write(0, 4, 0x3333);
        assertEquals(List.of("poweroff 42", "poweroff 1"), ctx.recordingMachine().requests());
    }

    @Test
    void otherValuesOffsetsAndReadsDoNothing() throws Exception {
        Device d = create();
        d.mmio().write(0, 4, 0x1234);
        d.mmio().write(4, 4, 0x5555);
        d.mmio().write(0, 1, 0x55);
        assertEquals(0, d.mmio().read(0, 4));
        assertEquals(List.of(), ctx.recordingMachine().requests());
    }

    @Test
    void providerPlacementAndOptions() {
        SysconProvider p = new SysconProvider();
        assertEquals(new Placement.Fixed(0x100000, 0x1000, 0), p.placement());
        assertThrows(DeviceConfigException.class, () -> p.create(ctx, DeviceOptions.parse("syscon,bogus=1")));
    }
}
