package hv.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.io.ObjectInput;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * HV's layering as ArchUnit rules over Java packages. Package prefixes stand for modules
 * (module hv.x owns packages hv.x and hv.x.*; the module-descriptor test checks that), so the
 * rules hold for code that has not been written yet. The allowed dependencies come from
 * {@link Layer}. Each rule here is shown to fail on a deliberately violating fixture class in
 * {@code LayeringRulesCanFailTest}, and {@code LayeringRulesTest} applies them to the real build.
 */
public final class LayeringRules {

    private static final String[] JDK = {"java..", "javax.."};

    private static final String[] NETWORK_PLUGIN_PACKAGES =
            Layer.NETWORK_PLUGIN_MODULES.stream().map(m -> m + "..").toArray(String[]::new);

    public static final ArchRule API_DEPENDS_ON_NOTHING_OF_OURS = dependencyRule(Layer.API);
    public static final ArchRule MEMORY_ONLY_ON_API = dependencyRule(Layer.MEMORY);
    public static final ArchRule CPU_ONLY_ON_API_AND_MEMORY = dependencyRule(Layer.CPU);
    public static final ArchRule DEVICES_ONLY_ON_API_AND_JCTOOLS = dependencyRule(Layer.DEVICES);
    public static final ArchRule HOSTS_ONLY_ON_THE_FOUR_BELOW = dependencyRule(Layer.HOSTS);
    public static final ArchRule PROCVM_ONLY_ON_CPU_MEMORY_API = dependencyRule(Layer.PROCVM);
    public static final ArchRule TOOLS_ONLY_ON_HOSTS_API_PLUGINS_PROCVM = dependencyRule(Layer.TOOLS);

    public static final ArchRule PLUGINS_ONLY_ON_THE_SPI = classes()
            .that().resideInAPackage("hv.plugin..").and().resideOutsideOfPackages(NETWORK_PLUGIN_PACKAGES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(allowedPackages("hv.plugin", Layer.PLUGIN))
            .because("a plugin sees only hv.api and the device-author packages " + new java.util.TreeSet<>(Layer.DEVICE_AUTHOR_PACKAGES));

    public static final ArchRule NETWORK_PLUGINS_ONLY_ON_THE_SPI_AND_NETTY = classes()
            .that().resideInAnyPackage(NETWORK_PLUGIN_PACKAGES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(allowedPackages("hv.plugin", Layer.NETWORK_PLUGIN))
            .because("a network plugin sees what every plugin sees, plus Netty");

    /** A class outside every module's packages would escape all the layering rules. */
    public static final ArchRule EVERY_CLASS_IN_A_KNOWN_MODULE = classes()
            .that().resideInAPackage("hv..")
            .should().resideInAnyPackage(Stream.concat(Layer.CORE.stream().map(l -> l.name() + ".."),
                    Stream.of("hv.plugin..")).toArray(String[]::new))
            .because("every package must belong to a module of the layering table (hv.architecture.Layer)");

    public static final ArchRule NO_PACKAGE_CYCLES = slices()
            .assignedFrom(new OnePackageOneSlice())
            .should().beFreeOfCycles()
            .because("a cycle between packages makes them one unit that cannot be understood or replaced alone");

    public static final ArchRule NETTY_ONLY_IN_NETWORK_PLUGINS_AND_TOOLS = noClasses()
            .that().resideInAPackage("hv..")
            .and().resideOutsideOfPackages(concat(NETWORK_PLUGIN_PACKAGES, "hv.tools.."))
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("Netty is the network data path: network plugins and `hv switch` only");

    public static final ArchRule JCTOOLS_ONLY_IN_DEVICES_AND_HOSTS = noClasses()
            .that().resideInAPackage("hv..")
            .and().resideOutsideOfPackages("hv.devices..", "hv.hosts..")
            .should().dependOnClassesThat().resideInAPackage("org.jctools..")
            .because("lock-free queues belong to hv.devices and hv.hosts; plugins use hv.devices.queues");

    public static final ArchRule JCTOOLS_ONLY_ATOMIC_QUEUES = noClasses()
            .that().resideInAPackage("hv..")
            .should().dependOnClassesThat(resideInAPackage("org.jctools..")
                    .and(DescribedPredicate.not(resideInAPackage("org.jctools.queues.atomic..")))
                    .and(DescribedPredicate.not(INTERFACES))
                    .as("JCTools classes outside org.jctools.queues.atomic"))
            .because("the other JCTools queues use sun.misc.Unsafe, which warns or fails on JDK 25");

    public static final ArchRule NO_UNSAFE = noClasses()
            .that().resideInAPackage("hv..")
            .should().dependOnClassesThat().resideInAnyPackage("sun..", "jdk.internal..")
            .because("sun.misc.Unsafe and JDK internals are forbidden: use MemorySegment and VarHandle");

    public static final ArchRule NO_STDOUT_OUTSIDE_TOOLS = noClasses()
            .that().resideInAPackage("hv..").and().resideOutsideOfPackage("hv.tools..")
            .should().accessField(System.class, "out")
            .because("the guest console owns stdout: devices write to their HostConsole's stream, "
                    + "the process VM to the streams the launcher hands it");

    public static final ArchRule NO_STDERR_OUTSIDE_TOOLS = noClasses()
            .that().resideInAPackage("hv..").and().resideOutsideOfPackage("hv.tools..")
            .should().accessField(System.class, "err")
            .orShould().callMethodWhere(PRINT_STACK_TRACE())
            .because("HV logs through System.Logger (to stderr); only the launcher writes to the process's "
                    + "streams itself, and other output (e.g. --stats) goes to a stream the launcher hands over");

    public static final ArchRule NO_JAVA_SERIALIZATION = noClasses()
            .that().resideInAPackage("hv..")
            .should().dependOnClassesThat().belongToAnyOf(ObjectOutputStream.class, ObjectInputStream.class,
                    ObjectOutput.class, ObjectInput.class)
            .because("VM state is saved and restored explicitly through hv.api.state, never by Java serialization");

    public static final ArchRule NO_SERIALIZABLE_STATE = noClasses()
            .that().resideInAPackage("hv..")
            .and().areNotAssignableTo(Throwable.class).and().areNotEnums()
            .should().beAssignableTo(Serializable.class)
            .because("VM state is saved and restored explicitly through hv.api.state (exceptions and enums "
                    + "are Serializable by inheritance and are exempt)");

    public static final ArchRule NO_REFLECTIVE_FIELD_ACCESS = noClasses()
            .that().resideInAPackage("hv..")
            .should().dependOnClassesThat().belongToAnyOf(Field.class)
            .orShould().callMethodWhere(SET_ACCESSIBLE())
            .because("state is saved field by field in plain code, never by reflection");

    private LayeringRules() {
    }

    /** Every rule with a short name, for the tests. */
    public static Map<String, ArchRule> all() {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("api depends on nothing of ours", API_DEPENDS_ON_NOTHING_OF_OURS);
        rules.put("memory only on api", MEMORY_ONLY_ON_API);
        rules.put("cpu only on api and memory", CPU_ONLY_ON_API_AND_MEMORY);
        rules.put("devices only on api and jctools", DEVICES_ONLY_ON_API_AND_JCTOOLS);
        rules.put("hosts only on the four below", HOSTS_ONLY_ON_THE_FOUR_BELOW);
        rules.put("procvm only on cpu, memory, api", PROCVM_ONLY_ON_CPU_MEMORY_API);
        rules.put("tools only on hosts, api, plugin discovery, procvm", TOOLS_ONLY_ON_HOSTS_API_PLUGINS_PROCVM);
        rules.put("plugins only on the SPI", PLUGINS_ONLY_ON_THE_SPI);
        rules.put("network plugins only on the SPI and Netty", NETWORK_PLUGINS_ONLY_ON_THE_SPI_AND_NETTY);
        rules.put("every class in a known module", EVERY_CLASS_IN_A_KNOWN_MODULE);
        rules.put("no package cycles", NO_PACKAGE_CYCLES);
        rules.put("Netty only in network plugins and tools", NETTY_ONLY_IN_NETWORK_PLUGINS_AND_TOOLS);
        rules.put("JCTools only in devices and hosts", JCTOOLS_ONLY_IN_DEVICES_AND_HOSTS);
        rules.put("JCTools only atomic queues", JCTOOLS_ONLY_ATOMIC_QUEUES);
        rules.put("no Unsafe or JDK internals", NO_UNSAFE);
        rules.put("no System.out outside tools", NO_STDOUT_OUTSIDE_TOOLS);
        rules.put("no System.err or printStackTrace outside tools", NO_STDERR_OUTSIDE_TOOLS);
        rules.put("no Java serialization", NO_JAVA_SERIALIZATION);
        rules.put("no Serializable state", NO_SERIALIZABLE_STATE);
        rules.put("no reflective field access", NO_REFLECTIVE_FIELD_ACCESS);
        return rules;
    }

    private static ArchRule dependencyRule(Layer layer) {
        return classes()
                .that().resideInAPackage(layer.name() + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(allowedPackages(layer.name(), layer))
                .because(layer.name() + " may use only " + (layer.mayUse().isEmpty() ? "the JDK" : String.join(", ", layer.mayUse().stream().sorted().toList()) + " and the JDK"));
    }

    private static String[] allowedPackages(String own, Layer layer) {
        List<String> allowed = new ArrayList<>(List.of(JDK));
        allowed.add(own + "..");
        layer.mayUse().stream().sorted().forEach(p -> allowed.add(p + ".."));
        return allowed.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    // Methods, not fields: static initialisation order would otherwise leave them null above.
    private static DescribedPredicate<JavaMethodCall> PRINT_STACK_TRACE() {
        return DescribedPredicate.describe("Throwable.printStackTrace()", call ->
                call.getName().equals("printStackTrace")
                        && call.getTarget().getRawParameterTypes().isEmpty()
                        && call.getTargetOwner().isAssignableTo(Throwable.class));
    }

    private static DescribedPredicate<JavaMethodCall> SET_ACCESSIBLE() {
        return DescribedPredicate.describe("AccessibleObject.setAccessible/trySetAccessible", call ->
                (call.getName().equals("setAccessible") || call.getName().equals("trySetAccessible"))
                        && call.getTargetOwner().isAssignableTo(java.lang.reflect.AccessibleObject.class));
    }

    /** Each package of ours is a slice of its own, so a cycle between any two packages is reported. */
    private static final class OnePackageOneSlice implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String pkg = javaClass.getPackageName();
            return pkg.startsWith("hv.") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the packages of HV";
        }
    }
}
