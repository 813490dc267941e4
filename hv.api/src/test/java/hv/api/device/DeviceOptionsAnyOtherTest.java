package hv.api.device;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeviceOptionsAnyOtherTest {

    @Test
    void unknownKeysAreRefusedUnlessTheDeviceTakesAnyOther() throws Exception {
        DeviceOptions o = DeviceOptions.parse("virtio-net,net=stream,connect=127.0.0.1:5555");
        List<OptionSpec> closed = List.of(OptionSpec.required("net", "backend"));
        assertThrows(DeviceConfigException.class, () -> o.checkKnown(closed));
        List<OptionSpec> open = List.of(OptionSpec.required("net", "backend"), OptionSpec.anyOther("backend options"));
        assertDoesNotThrow(() -> o.checkKnown(open));
        // Required keys are still required.
        DeviceOptions missing = DeviceOptions.parse("virtio-net,connect=127.0.0.1:5555");
        assertThrows(DeviceConfigException.class, () -> missing.checkKnown(open));
    }
}
