/** Device plugin: goldfish-rtc. Sees only hv.api. */
module hv.plugin.goldfish.rtc {
    requires hv.api;
}
