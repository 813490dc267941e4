/** Device plugin: syscon. Sees only hv.api. */
module hv.plugin.syscon {
    requires hv.api;
}
