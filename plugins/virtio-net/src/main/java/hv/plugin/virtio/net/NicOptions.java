package hv.plugin.virtio.net;

import hv.api.device.DeviceConfigException;
import hv.api.device.DeviceOptions;
import hv.api.device.OptionSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one NIC: {@code --device virtio-net,net=TYPE[,mac=..][,rx-queue=N][,queue-size=N][,csum=on|off][,mrg-rxbuf=on|off][,io=vcpu|thread],BACKEND-OPTIONS}.
 * The keys below belong to the NIC; every other key goes to the backend named by {@code net=},
 * which validates them (e.g. {@code net=stream,connect=127.0.0.1:5555}).
 */
record NicOptions(String backendType, DeviceOptions backendOptions, MacAddress mac, int queueSize, int rxQueueFrames, boolean checksumOffload,
                  boolean mergeableRxBuffers, boolean workOnVcpus) {

    static final int DEFAULT_QUEUE_SIZE = 256;
    static final int DEFAULT_RX_QUEUE = 256;

    static final List<OptionSpec> SPECS = List.of(
            OptionSpec.required("net", "backend type: stream, dgram, switch (see the backends' own options)"),
            OptionSpec.optional("mac", "Ethernet address, e.g. 52:54:00:12:34:56 (default: derived from the VM and NIC names)"),
            OptionSpec.optional("queue-size", "virtqueue size offered to the guest, a power of two 16..1024 (default 256)"),
            OptionSpec.optional("rx-queue", "frames buffered from the backend for the guest, 16..8192 (default 256)"),
            OptionSpec.optional("csum", "on|off: offer checksum offload both ways, done by HV (default on)"),
            OptionSpec.optional("mrg-rxbuf", "on|off: offer mergeable receive buffers, a frame over several guest buffers (default on)"),
            OptionSpec.optional("io", "vcpu|thread: run the device's work on the vCPU threads (default: one host-thread"
                    + " wake-up less per frame each way) or on a thread of its own"),
            OptionSpec.anyOther("backend options, e.g. connect=HOST:PORT, listen=HOST:PORT, local=..,remote=.."));

    static NicOptions parse(DeviceOptions options, String vmName, String nicName) throws DeviceConfigException {
        options.checkKnown(SPECS);
        String type = options.require("net");
        MacAddress mac = options.get("mac").isPresent()
                ? MacAddress.parse(options.get("mac").get())
                : MacAddress.derive(vmName, nicName);
        long queueSize = options.number("queue-size", DEFAULT_QUEUE_SIZE);
        if (queueSize < 16 || queueSize > 1024 || (queueSize & (queueSize - 1)) != 0) {
            throw new DeviceConfigException("virtio-net: queue-size must be a power of two 16..1024, not " + queueSize);
        }
        long rxQueue = options.number("rx-queue", DEFAULT_RX_QUEUE);
        if (rxQueue < 16 || rxQueue > 8192) {
            throw new DeviceConfigException("virtio-net: rx-queue must be 16..8192, not " + rxQueue);
        }
        Map<String, String> rest = new LinkedHashMap<>(options.asMap());
        for (OptionSpec s : SPECS) {
            rest.remove(s.key());
        }
        boolean csum = options.flag("csum", true);
        boolean mergeable = options.flag("mrg-rxbuf", true);
        String io = options.get("io").orElse("vcpu");
        if (!io.equals("vcpu") && !io.equals("thread")) {
            throw new DeviceConfigException("virtio-net: io must be vcpu or thread, not '" + io + "'");
        }
        return new NicOptions(type, new DeviceOptions(type, rest), mac, (int) queueSize, (int) rxQueue, csum, mergeable, io.equals("vcpu"));
    }
}
