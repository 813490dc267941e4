/** Device plugin: uart16550. Sees only hv.api. */
module hv.plugin.uart16550 {
    requires hv.api;
}
