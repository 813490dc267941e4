/** Device plugin: the SiFive test device ("syscon") through which a guest powers off or reboots. Sees only hv.api. */
module hv.plugin.syscon {
    requires hv.api;

    provides hv.api.device.DeviceProvider with hv.plugin.syscon.SysconProvider;
}
