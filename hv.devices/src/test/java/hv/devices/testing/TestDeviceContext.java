package hv.devices.testing;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.GuestMemory;
import hv.api.device.HostConsole;
import hv.api.device.InterruptLine;
import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;

/** A DeviceContext for device tests: fixed window, a recording line, array-backed RAM. */
public final class TestDeviceContext implements DeviceContext {
    private final String name;
    private final long base;
    private final long size;
    private final int irq;
    private final RecordingLine line = new RecordingLine();
    private final GuestMemory memory;
    private final TestConsole console = new TestConsole();
    private final RecordingMachine machine = new RecordingMachine();
    private GuestClock clock = new hv.devices.platform.MachineClock();

    public TestDeviceContext(String name, long base, long size, int irq, GuestMemory memory) {
        this.name = name;
        this.base = base;
        this.size = size;
        this.irq = irq;
        this.memory = memory;
    }

    /** A virtio slot-0 context with 1 MiB of RAM at 0x80000000. */
    public static TestDeviceContext virtioSlot0(String name) {
        return new TestDeviceContext(name, 0x1000_1000L, 0x1000, 1, new ArrayGuestMemory(0x8000_0000L, 1 << 20));
    }

    public TestDeviceContext withClock(GuestClock c) {
        this.clock = c;
        return this;
    }

    @Override
    public String instanceName() {
        return name;
    }

    @Override
    public long mmioBase() {
        return base;
    }

    @Override
    public long mmioSize() {
        return size;
    }

    @Override
    public int irq() {
        return irq;
    }

    @Override
    public InterruptLine interruptLine() {
        return line;
    }

    public RecordingLine line() {
        return line;
    }

    @Override
    public GuestMemory guestMemory() {
        return memory;
    }

    public ArrayGuestMemory ram() {
        return (ArrayGuestMemory) memory;
    }

    @Override
    public GuestClock clock() {
        return clock;
    }

    @Override
    public HostConsole console() {
        return console;
    }

    public TestConsole testConsole() {
        return console;
    }

    @Override
    public MachineControl machine() {
        return machine;
    }

    public RecordingMachine recordingMachine() {
        return machine;
    }

    @Override
    public String vmName() {
        return "test-vm";
    }

    @Override
    public <T> T service(Class<T> kind, String name) throws DeviceConfigException {
        throw new DeviceConfigException("no host services in device tests");
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("hv.test." + name);
    }
}
