/** Device plugin: the goldfish real-time clock of QEMU virt (host wall clock, one alarm). Sees only hv.api. */
module hv.plugin.goldfish.rtc {
    requires hv.api;

    provides hv.api.device.DeviceProvider with hv.plugin.goldfish.rtc.GoldfishRtcProvider;
}
