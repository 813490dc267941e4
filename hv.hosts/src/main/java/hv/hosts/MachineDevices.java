package hv.hosts;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.GuestMemory;
import hv.api.device.HostConsole;
import hv.api.device.Placement;
import hv.api.net.NetworkBackendProvider;
import hv.api.platform.GuestClock;
import hv.api.platform.MachineControl;
import hv.api.platform.VcpuAssist;
import hv.devices.platform.Plic;
import hv.devices.platform.VirtLayout;
import hv.devices.plugins.PluginCatalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates the machine's devices from plugins: the platform devices every virt machine has
 * (UART, RTC, syscon) and then the user's devices in command-line order, virtio ones filling
 * the eight virtio-mmio slots from slot 0. Each gets its MMIO window and PLIC source here.
 */
final class MachineDevices {

    /** Devices a QEMU virt machine always has, created unless the user adds one of the same type. */
    static final List<String> PLATFORM_DEVICES = List.of("uart16550", "goldfish-rtc", "syscon");

    record Placed(String name, Device device, long base, long size, int irq) {
    }

    /** For devices that have no interrupt (PLIC source 0 means "none"). */
    private static final hv.api.device.InterruptLine NO_INTERRUPT = level -> { };

    private final List<Placed> placed = new ArrayList<>();

    static MachineDevices create(List<String> userSpecs, PluginCatalog catalog, Plic plic, GuestMemory dma, GuestClock clock,
                                 HostConsole console, MachineControl machine, String vmName,
                                 Map<String, NetworkBackendProvider> backends, VcpuAssist assist) throws VmConfigException {
        MachineDevices set = new MachineDevices();
        List<DeviceOptions> specs = new ArrayList<>();
        try {
            for (String s : userSpecs) {
                specs.add(DeviceOptions.parse(s));
            }
        } catch (DeviceConfigException e) {
            throw new VmConfigException(e.getMessage());
        }
        List<DeviceOptions> all = new ArrayList<>();
        for (String type : PLATFORM_DEVICES) {
            if (catalog.find(type).isEmpty()) {
                System.getLogger("hv.hosts").log(System.Logger.Level.WARNING,
                        "platform device '" + type + "' has no plugin in the plugins folder; the machine will lack it");
                continue;
            }
            if (specs.stream().noneMatch(o -> o.deviceType().equals(type))) {
                all.add(new DeviceOptions(type, Map.of()));
            }
        }
        all.addAll(specs);
        Map<String, Integer> counts = new HashMap<>();
        int nextSlot = 0;
        for (DeviceOptions options : all) {
            String type = options.deviceType();
            PluginCatalog.Entry entry = catalog.find(type).orElseThrow(() -> new VmConfigException(
                    "unknown device type '" + type + "' (see `hv devices`; is its plugin jar in the plugins folder?)"));
            DeviceProvider provider = entry.provider();
            int index = counts.merge(type, 1, Integer::sum) - 1;
            String name = type + index;
            long base;
            long size;
            int irq;
            Placement placement = provider.placement();
            if (placement instanceof Placement.Fixed f) {
                base = f.base();
                size = f.size();
                irq = f.irq();
            } else {
                if (nextSlot >= VirtLayout.VIRTIO_SLOTS) {
                    throw new VmConfigException(type + ": all " + VirtLayout.VIRTIO_SLOTS + " virtio-mmio slots are taken");
                }
                base = VirtLayout.virtioBase(nextSlot);
                size = VirtLayout.VIRTIO_SIZE;
                irq = VirtLayout.virtioIrq(nextSlot);
                nextSlot++;
            }
            for (Placed p : set.placed) {
                if (base < p.base() + p.size() && p.base() < base + size) {
                    throw new VmConfigException(name + ": its MMIO window overlaps " + p.name() + " (only one " + type + " fits)");
                }
            }
            Device device;
            try {
                options.checkKnown(provider.options());
                HostDeviceContext ctx = new HostDeviceContext(name, base, size, irq, irq == 0 ? NO_INTERRUPT : plic.line(irq), dma, clock, console,
                        machine, vmName, backends, assist);
                device = provider.create(ctx, options);
                if (device == null) {
                    throw new DeviceConfigException(type + ": the plugin returned no device");
                }
            } catch (DeviceConfigException e) {
                set.close();
                throw new VmConfigException(e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                set.close();
                throw new VmConfigException(type + ": the plugin " + entry.jar().getFileName() + " failed to create the device: " + e);
            }
            set.placed.add(new Placed(name, device, base, size, irq));
        }
        return set;
    }

    List<Placed> placed() {
        return placed;
    }

    void close() {
        for (Placed p : placed) {
            try {
                p.device().close();
            } catch (RuntimeException e) {
                System.getLogger("hv.hosts").log(System.Logger.Level.WARNING, p.name() + ": close failed: " + e);
            }
        }
    }
}
