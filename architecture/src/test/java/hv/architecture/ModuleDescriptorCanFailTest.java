package hv.architecture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Builder;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows that {@link ModuleRules} rejects module descriptors that break the layering: each
 * fixture descriptor is built in memory as a javac-compiled module-info would read, and the
 * check must name the exact violation. Valid descriptors show it does not reject everything.
 */
class ModuleDescriptorCanFailTest {

    private static final String DEVICE_PROVIDER = "hv.api.device.DeviceProvider";
    private static final String BACKEND_PROVIDER = "hv.api.net.NetworkBackendProvider";

    static Stream<Arguments> violating() {
        return Stream.of(
                bad("hv.api requires hv.cpu", module("hv.api").requires("hv.cpu"), "hv.api: requires hv.cpu"),
                bad("hv.api requires a library", module("hv.api").requires("info.picocli"), "hv.api: requires info.picocli"),
                bad("hv.memory requires hv.cpu", module("hv.memory").requires("hv.api").requires("hv.cpu"), "hv.memory: requires hv.cpu"),
                bad("hv.cpu requires hv.devices", module("hv.cpu").requires("hv.memory").requires("hv.devices"), "hv.cpu: requires hv.devices"),
                bad("hv.devices requires hv.cpu", devices().requires("hv.cpu"), "hv.devices: requires hv.cpu"),
                bad("hv.devices requires hv.memory", devices().requires("hv.memory"), "hv.devices: requires hv.memory"),
                bad("hv.devices requires Netty", devices().requires("io.netty.transport"), "hv.devices: requires io.netty.transport"),
                bad("hv.hosts requires hv.procvm", module("hv.hosts").requires("hv.cpu").requires("hv.procvm"), "hv.hosts: requires hv.procvm"),
                bad("hv.procvm requires hv.devices", module("hv.procvm").requires("hv.cpu").requires("hv.devices"), "hv.procvm: requires hv.devices"),
                bad("hv.tools requires hv.cpu", module("hv.tools").requires("hv.hosts").requires("hv.cpu"), "hv.tools: requires hv.cpu"),
                bad("any module requires jdk.unsupported", module("hv.memory").requires("jdk.unsupported"), "sun.misc.Unsafe is forbidden"),
                bad("a plugin requires hv.cpu", plugin("hv.plugin.demo").requires("hv.cpu"), "hv.plugin.demo: requires hv.cpu"),
                bad("a plugin requires another plugin", plugin("hv.plugin.demo").requires("hv.plugin.virtio.net"), "requires hv.plugin.virtio.net"),
                bad("a network plugin requires JCTools", module("hv.plugin.net.sockets").requires("hv.api").requires("org.jctools.core")
                        .provides(BACKEND_PROVIDER, List.of("hv.plugin.net.sockets.Stream")), "hv.plugin.net.sockets: requires org.jctools.core"),
                bad("a non-network plugin requires Netty", plugin("hv.plugin.demo").requires("io.netty.transport"), "hv.plugin.demo: requires io.netty.transport"),
                bad("a plugin exports a package", plugin("hv.plugin.demo").exports("hv.plugin.demo"), "exports hv.plugin.demo, but a plugin exports nothing"),
                bad("a plugin with code provides nothing", module("hv.plugin.demo").requires("hv.api").packages(Set.of("hv.plugin.demo")), "must provide one of"),
                bad("a plugin provides a foreign service", plugin("hv.plugin.demo").provides("java.sql.Driver", List.of("hv.plugin.demo.Driver")), "provides java.sql.Driver"),
                bad("a plugin with code does not require hv.api", module("hv.plugin.demo").provides(DEVICE_PROVIDER, List.of("hv.plugin.demo.P")), "must require hv.api"),
                bad("hv.devices exports internals to everyone", devices().exports("hv.devices.plugins"), "exports hv.devices.plugins to everyone"),
                bad("hv.devices exports internals to a plugin", devices().exports("hv.devices.bus", Set.of("hv.hosts", "hv.plugin.demo")), "only [hv.hosts, hv.tools] may read"),
                bad("hv.devices does not export the device-author package", module("hv.devices").requires("hv.api").packages(Set.of("hv.devices.virtio")), "must export the device-author package hv.devices.virtio"),
                bad("hv.devices has the queues package but does not export it", devices().packages(Set.of("hv.devices.queues")), "must export the device-author package hv.devices.queues"),
                bad("hv.devices exports the device-author package qualified", module("hv.devices").exports("hv.devices.virtio", Set.of("hv.hosts")), "must be exported to everyone"),
                bad("hv.devices exports a device-author package qualified", devices().exports("hv.devices.console", Set.of("hv.hosts")), "hv.devices.console is a device-author package"),
                bad("a package outside the module's namespace", module("hv.memory").requires("hv.api").packages(Set.of("hv.memory", "hv.cpu.tlb")), "package hv.cpu.tlb is outside"),
                bad("a plugin package outside its namespace", plugin("hv.plugin.demo").packages(Set.of("hv.plugin.other")), "package hv.plugin.other is outside"),
                bad("an open module", ModuleDescriptor.newOpenModule("hv.hosts").requires("hv.cpu"), "must be an explicit, non-open module"),
                bad("a core module opens a package", module("hv.cpu").opens("hv.cpu"), "hv.cpu: opens hv.cpu"),
                bad("hv.tools opens to everyone", module("hv.tools").opens("hv.tools"), "hv.tools: opens hv.tools;"),
                bad("a service not defined in hv.api", module("hv.hosts").uses("java.sql.Driver"), "uses java.sql.Driver"),
                bad("a module outside the layering table", module("hv.util"), "hv.util: not a module of the layering table"));
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                good("hv.api with nothing of ours", module("hv.api").exports("hv.api.device").uses(DEVICE_PROVIDER)),
                good("hv.devices as the layering wants it", devices().requires("org.jctools.core")
                        .exports("hv.devices.queues").exports("hv.devices.console").exports("hv.devices.platform", Set.of("hv.hosts"))
                        .exports("hv.devices.plugins", Set.of("hv.hosts", "hv.tools")).uses(DEVICE_PROVIDER)),
                good("hv.hosts on the four below", module("hv.hosts").requires(Set.of(ModuleDescriptor.Requires.Modifier.TRANSITIVE), "hv.api")
                        .requires("hv.memory").requires("hv.cpu").requires("hv.devices").requires("org.jctools.core").exports("hv.hosts")),
                good("hv.tools opening to picocli", module("hv.tools").requires("hv.hosts").requires("hv.procvm").requires("info.picocli")
                        .requires("io.netty.transport").opens("hv.tools", Set.of("info.picocli"))),
                good("a device plugin", plugin("hv.plugin.demo").requires("hv.devices")),
                good("a network plugin with Netty", module("hv.plugin.net.sockets").requires("hv.api").requires("io.netty.transport")
                        .requires("io.netty.handler").requires("hv.devices").provides(BACKEND_PROVIDER, List.of("hv.plugin.net.sockets.Stream"))),
                good("an empty plugin (no code yet)", module("hv.plugin.demo").requires("hv.api")));
    }

    @ParameterizedTest(name = "rejects: {0}")
    @MethodSource("violating")
    void checkRejectsTheViolation(String what, ModuleDescriptor descriptor, String expected) {
        List<String> violations = ModuleRules.violations(descriptor);

        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                "expected a violation containing '" + expected + "' for " + descriptor + ", got " + violations);
    }

    @ParameterizedTest(name = "accepts: {0}")
    @MethodSource("valid")
    void checkAcceptsAValidDescriptor(String what, ModuleDescriptor descriptor) {
        assertEquals(List.of(), ModuleRules.violations(descriptor), descriptor.toString());
    }

    private static Builder module(String name) {
        return ModuleDescriptor.newModule(name);
    }

    private static Builder devices() {
        return module("hv.devices").requires("hv.api").exports("hv.devices.virtio");
    }

    /** A well-formed device plugin, to which each case adds one fault. */
    private static Builder plugin(String name) {
        return module(name).requires("hv.api").provides(DEVICE_PROVIDER, List.of(name + ".DemoProvider"));
    }

    private static Arguments bad(String what, Builder descriptor, String expected) {
        return Arguments.of(what, descriptor.build(), expected);
    }

    private static Arguments good(String what, Builder descriptor) {
        return Arguments.of(what, descriptor.build());
    }
}
