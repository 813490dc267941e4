package hv.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import hv.api.fixture.ApiUsesCpu;
import hv.api.fixture.ApiUsesPicocli;
import hv.cpu.fixture.CpuUsesDevices;
import hv.cpu.fixture.CpuUsesJctools;
import hv.cpu.fixture.CpuWritesStderr;
import hv.cpu.fixture.HartFault;
import hv.cpu.fixture.PrivilegeMode;
import hv.cpu.fixture.SerializableHartState;
import hv.cpu.fixture.cycle.a.Left;
import hv.cpu.fixture.cycle.b.Right;
import hv.devices.fixture.DeviceSnapshotsWithObjectStream;
import hv.devices.fixture.DevicesUsesAtomicQueue;
import hv.devices.fixture.DevicesUsesCpu;
import hv.devices.fixture.DevicesUsesMemory;
import hv.devices.fixture.DevicesUsesNetty;
import hv.devices.fixture.DevicesUsesUnsafeQueue;
import hv.devices.fixture.ReflectiveSnapshot;
import hv.devices.fixture.UartPrintsToStdout;
import hv.devices.fixture.UartWritesToHostConsole;
import hv.hosts.fixture.HostsPrintsStackTrace;
import hv.hosts.fixture.HostsUsesAllBelow;
import hv.hosts.fixture.HostsUsesProcvm;
import hv.memory.fixture.MemoryUsesCpu;
import hv.memory.fixture.MemoryUsesUnsafe;
import hv.plugin.fixture.PluginUsesDeviceInternals;
import hv.plugin.fixture.PluginUsesNetty;
import hv.plugin.fixture.PluginUsesDeviceAuthorPackages;
import hv.plugin.net.sockets.fixture.NetPluginUsesHosts;
import hv.plugin.net.sockets.fixture.NetPluginUsesJctools;
import hv.plugin.net.sockets.fixture.NetPluginUsesNettyAndDeviceQueues;
import hv.procvm.fixture.ProcvmUsesHosts;
import hv.tools.fixture.ToolsAllowedDependencies;
import hv.tools.fixture.ToolsUsesCpu;
import hv.tools.fixture.ToolsUsesVirtio;
import hv.util.fixture.StrayClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static hv.architecture.LayeringRules.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shows that each layering rule can fail: the very rule object that {@link LayeringRulesTest}
 * applies to the real build is evaluated against fixture classes (test sources of this module,
 * in packages the rule covers) that break it on purpose, and must report each of them. Allowed
 * fixtures show the rule does not reject what the layering permits. Fixtures are never part of
 * the real-build import ({@link HvClasses}).
 */
class LayeringRulesCanFailTest {

    /** rule, the fixture classes to import, and the one whose name the violation report must carry. */
    static Stream<Arguments> violations() {
        return Stream.of(
                violates(API_DEPENDS_ON_NOTHING_OF_OURS, ApiUsesCpu.class),
                violates(API_DEPENDS_ON_NOTHING_OF_OURS, ApiUsesPicocli.class),
                violates(MEMORY_ONLY_ON_API, MemoryUsesCpu.class),
                violates(CPU_ONLY_ON_API_AND_MEMORY, CpuUsesDevices.class),
                violates(DEVICES_ONLY_ON_API_AND_JCTOOLS, DevicesUsesMemory.class),
                violates(DEVICES_ONLY_ON_API_AND_JCTOOLS, DevicesUsesCpu.class),
                violates(DEVICES_ONLY_ON_API_AND_JCTOOLS, DevicesUsesNetty.class),
                violates(HOSTS_ONLY_ON_THE_FOUR_BELOW, HostsUsesProcvm.class),
                violates(PROCVM_ONLY_ON_CPU_MEMORY_API, ProcvmUsesHosts.class),
                violates(TOOLS_ONLY_ON_HOSTS_API_PLUGINS_PROCVM, ToolsUsesCpu.class),
                violates(TOOLS_ONLY_ON_HOSTS_API_PLUGINS_PROCVM, ToolsUsesVirtio.class),
                violates(PLUGINS_ONLY_ON_THE_SPI, PluginUsesDeviceInternals.class),
                violates(PLUGINS_ONLY_ON_THE_SPI, PluginUsesNetty.class),
                violates(NETWORK_PLUGINS_ONLY_ON_THE_SPI_AND_NETTY, NetPluginUsesHosts.class),
                violates(NETWORK_PLUGINS_ONLY_ON_THE_SPI_AND_NETTY, NetPluginUsesJctools.class),
                violates(EVERY_CLASS_IN_A_KNOWN_MODULE, StrayClass.class),
                violates(NO_PACKAGE_CYCLES, Left.class, Right.class),
                violates(NETTY_ONLY_IN_NETWORK_PLUGINS_AND_TOOLS, DevicesUsesNetty.class),
                violates(NETTY_ONLY_IN_NETWORK_PLUGINS_AND_TOOLS, PluginUsesNetty.class),
                violates(JCTOOLS_ONLY_IN_DEVICES_AND_HOSTS, CpuUsesJctools.class),
                violates(JCTOOLS_ONLY_IN_DEVICES_AND_HOSTS, NetPluginUsesJctools.class),
                violates(JCTOOLS_ONLY_ATOMIC_QUEUES, DevicesUsesUnsafeQueue.class),
                violates(NO_UNSAFE, MemoryUsesUnsafe.class),
                violates(NO_STDOUT_OUTSIDE_TOOLS, UartPrintsToStdout.class),
                violates(NO_STDERR_OUTSIDE_TOOLS, CpuWritesStderr.class),
                violates(NO_STDERR_OUTSIDE_TOOLS, HostsPrintsStackTrace.class),
                violates(NO_JAVA_SERIALIZATION, DeviceSnapshotsWithObjectStream.class),
                violates(NO_SERIALIZABLE_STATE, SerializableHartState.class),
                violates(NO_REFLECTIVE_FIELD_ACCESS, ReflectiveSnapshot.class));
    }

    /** rule, and classes that the layering allows: the rule must accept them. */
    static Stream<Arguments> allowed() {
        return Stream.of(
                allows(HOSTS_ONLY_ON_THE_FOUR_BELOW, HostsUsesAllBelow.class),
                allows(TOOLS_ONLY_ON_HOSTS_API_PLUGINS_PROCVM, ToolsAllowedDependencies.class),
                allows(PLUGINS_ONLY_ON_THE_SPI, PluginUsesDeviceAuthorPackages.class),
                allows(NETWORK_PLUGINS_ONLY_ON_THE_SPI_AND_NETTY, NetPluginUsesNettyAndDeviceQueues.class),
                allows(NETTY_ONLY_IN_NETWORK_PLUGINS_AND_TOOLS, NetPluginUsesNettyAndDeviceQueues.class, ToolsAllowedDependencies.class),
                allows(JCTOOLS_ONLY_IN_DEVICES_AND_HOSTS, DevicesUsesAtomicQueue.class, HostsUsesAllBelow.class, NetPluginUsesNettyAndDeviceQueues.class),
                allows(JCTOOLS_ONLY_ATOMIC_QUEUES, DevicesUsesAtomicQueue.class, HostsUsesAllBelow.class),
                allows(NO_STDOUT_OUTSIDE_TOOLS, UartWritesToHostConsole.class, ToolsAllowedDependencies.class),
                allows(NO_STDERR_OUTSIDE_TOOLS, UartWritesToHostConsole.class, ToolsAllowedDependencies.class),
                allows(NO_SERIALIZABLE_STATE, HartFault.class, PrivilegeMode.class),
                allows(EVERY_CLASS_IN_A_KNOWN_MODULE, ApiUsesCpu.class, PluginUsesDeviceAuthorPackages.class, NetPluginUsesHosts.class, ToolsUsesCpu.class));
    }

    @ParameterizedTest(name = "{0} rejects {2}")
    @MethodSource("violations")
    void ruleReportsTheViolatingFixture(String rule, ArchRule archRule, String culprit, List<Class<?>> classes) {
        EvaluationResult result = archRule.evaluate(importOnly(classes));

        assertTrue(result.hasViolation(), rule + " accepted " + culprit);
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(culprit), "the report should name " + culprit + ":\n" + report);
    }

    @ParameterizedTest(name = "{0} accepts {2}")
    @MethodSource("allowed")
    void ruleAcceptsWhatTheLayeringAllows(String rule, ArchRule archRule, String names, List<Class<?>> classes) {
        EvaluationResult result = archRule.evaluate(importOnly(classes));

        assertFalse(result.hasViolation(), () -> rule + " rejected an allowed fixture:\n" + result.getFailureReport());
    }

    /** The internal Unsafe cannot be named in Java source (not exported), so the fixture is generated bytecode. */
    @Test
    void noUnsafeRejectsJdkInternalUnsafe(@TempDir Path dir) throws IOException {
        ClassDesc unsafe = ClassDesc.of("jdk.internal.misc.Unsafe");
        String name = "hv.memory.fixture.UsesInternalUnsafe";
        byte[] bytes = ClassFile.of().build(ClassDesc.of(name), cls -> cls
                .withMethodBody("unsafe", MethodTypeDesc.of(unsafe), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                        code -> code.invokestatic(unsafe, "getUnsafe", MethodTypeDesc.of(unsafe)).areturn()));
        Path file = dir.resolve(name.replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);

        EvaluationResult result = NO_UNSAFE.evaluate(new ClassFileImporter().importPath(dir));

        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("jdk.internal.misc.Unsafe"), result.getFailureReport().toString());
    }

    /** No rule may go unproven: each one must appear above with a fixture it rejects. */
    @Test
    void everyRuleHasAViolatingFixture() {
        Set<ArchRule> proven = Collections.newSetFromMap(new IdentityHashMap<>());
        violations().forEach(a -> proven.add((ArchRule) a.get()[1]));
        Set<ArchRule> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(LayeringRules.all().values());
        all.removeAll(proven);
        assertEquals(Set.of(), all, "rules without a violating fixture");
    }

    private static Arguments violates(ArchRule rule, Class<?>... classes) {
        return Arguments.of(nameOf(rule), rule, classes[0].getName(), List.of(classes));
    }

    private static Arguments allows(ArchRule rule, Class<?>... classes) {
        return Arguments.of(nameOf(rule), rule, Stream.of(classes).map(Class::getSimpleName).toList().toString(), List.of(classes));
    }

    private static String nameOf(ArchRule rule) {
        for (Map.Entry<String, ArchRule> e : LayeringRules.all().entrySet()) {
            if (e.getValue() == rule) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("not one of LayeringRules.all(): " + rule);
    }

    /**
     * The fixtures named in the tables, out of one import of all of them (importing each case on
     * its own would resolve the JDK and Netty class graph again every time).
     */
    private static JavaClasses importOnly(List<Class<?>> classes) {
        return Fixtures.ALL.that(JavaClass.Predicates.belongToAnyOf(classes.toArray(Class<?>[]::new)));
    }

    private static final class Fixtures {
        static final JavaClasses ALL = new ClassFileImporter().importClasses(
                Stream.concat(violations(), allowed()).flatMap(a -> ((List<?>) a.get()[3]).stream())
                        .<Class<?>>map(c -> (Class<?>) c).distinct().toList());
    }
}
