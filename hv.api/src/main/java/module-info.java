/**
 * The contracts of HV, and nothing else: the device SPI, MMIO, interrupt lines, the DMA
 * view of guest memory, the network backend SPI, platform links to harts, snapshot state
 * streams and the VM configuration. Requires nothing of ours: every other module and every
 * plugin builds on this one, so it must stay small and stable (see {@link hv.api.device.DeviceProvider#SPI_VERSION}).
 */
module hv.api {
    exports hv.api.device;
    exports hv.api.net;
    exports hv.api.state;
    exports hv.api.platform;
    exports hv.api.config;

    uses hv.api.device.DeviceProvider;
    uses hv.api.net.NetworkBackendProvider;
}
