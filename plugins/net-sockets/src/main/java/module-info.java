/** Device plugin: net-sockets. Sees only hv.api. */
module hv.plugin.net.sockets {
    requires hv.api;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
}
