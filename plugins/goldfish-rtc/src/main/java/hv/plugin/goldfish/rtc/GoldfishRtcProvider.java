package hv.plugin.goldfish.rtc;

import hv.api.device.Device;
import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceContext;
import hv.api.device.DeviceOptions;
import hv.api.device.DeviceProvider;
import hv.api.device.OptionSpec;
import hv.api.device.Placement;

import java.time.Instant;
import java.util.List;

/** {@code --device goldfish-rtc}: the virt machine's real-time clock. */
public final class GoldfishRtcProvider implements DeviceProvider {

    static final long BASE = 0x10_1000L;
    static final long SIZE = 0x1000L;
    static final int IRQ = 11;

    @Override
    public String type() {
        return "goldfish-rtc";
    }

    @Override
    public String description() {
        return "Goldfish real-time clock at 0x101000 (irq 11): host wall-clock time, one alarm";
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public Placement placement() {
        return Placement.fixed(BASE, SIZE, IRQ);
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public Device create(DeviceContext context, DeviceOptions options) throws DeviceConfigException {
        options.checkKnown(options());
        return new GoldfishRtc(context, GoldfishRtcProvider::wallClockNanos);
    }

    static long wallClockNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
