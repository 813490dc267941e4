/**
 * HV's layering, enforced by tests that can fail.
 *
 * <ul>
 *   <li>{@link hv.architecture.Layer}: the layering table (who may require/use whom, Netty, JCTools).
 *   <li>{@link hv.architecture.LayeringRules}: ArchUnit rules over classes, by package prefix;
 *       {@code LayeringRulesTest} applies them to the real build, {@code LayeringRulesCanFailTest}
 *       to the fixture classes under {@code hv.*.fixture} that break each rule on purpose.
 *   <li>{@link hv.architecture.ModuleRules}: checks on module descriptors read by ModuleFinder
 *       (requires/exports/opens/uses/provides), which ArchUnit cannot see;
 *       {@code ModuleDescriptorTest} for the real modules, {@code ModuleDescriptorCanFailTest}
 *       for fixture descriptors.
 * </ul>
 *
 * <p>May touch: the built modules on the test class path (via dist), read-only. The fixtures are
 * test classes and never part of the real-build import ({@link hv.architecture.BuiltModules}
 * finds only module-info-bearing class-path entries of modules named {@code hv.*}).
 */
package hv.architecture;
