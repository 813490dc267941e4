/** The command-line tools: the {@code hv} launcher (run, exec, dtb, devices, switch, ctl, version). */
module hv.tools {
    requires hv.api;
    requires hv.hosts;
    requires hv.devices;
    requires hv.procvm;
    requires info.picocli;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;

    opens hv.tools to info.picocli;
}
