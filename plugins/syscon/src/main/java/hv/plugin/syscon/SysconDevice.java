package hv.plugin.syscon;

import hv.api.device.Device;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceTreeNode;
import hv.api.device.MmioHandler;
import hv.api.state.StateReader;
import hv.api.state.StateWriter;

/**
 * The register: a 32-bit write at offset 0 whose low 16 bits say what to do (QEMU's
 * hw/misc/sifive_test.c semantics). Reads return 0. Stateless.
 */
final class SysconDevice implements Device, MmioHandler {

    static final int FAIL = 0x3333;
    static final int PASS = 0x5555;
    static final int RESET = 0x7777;

    private final DeviceContext context;

    SysconDevice(DeviceContext context) {
        this.context = context;
    }

    @Override
    public MmioHandler mmio() {
        return this;
    }

    @Override
    public long read(long offset, int size) {
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != 0 || size < 2) {
            return;
        }
        int v = (int) value;
        switch (v & 0xffff) {
            case PASS -> context.machine().powerOff(0);
            case RESET -> context.machine().reboot();
            case FAIL -> {
                // A failure must never look like success: code 0 becomes 1.
                int code = size >= 4 ? (v >>> 16) & 0xffff : 0;
                context.machine().powerOff(code == 0 ? 1 : code);
            }
            default -> {
                // other values are ignored, as on the real finisher
            }
        }
    }

    /** {@code test@100000}: the generator points /poweroff and /reboot at its phandle. */
    @Override
    public void describe(DeviceTreeNode soc) {
        soc.child("test@" + Long.toHexString(context.mmioBase()))
                .property("compatible", "sifive,test1", "sifive,test0", "syscon")
                .reg(context.mmioBase(), context.mmioSize());
    }

    @Override
    public void reset() {
    }

    @Override
    public void saveState(StateWriter out) {
    }

    @Override
    public void restoreState(StateReader in, int version) {
    }
}
